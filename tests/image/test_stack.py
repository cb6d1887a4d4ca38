"""
The compose stack, run as docs/deploying.md says, checked from outside: through the proxy over HTTPS,
in the database, at a mail server on the host, and in the containers. `make image-check` runs this
(it needs dockerd, Compose and the stand-in base images, which it provides).

The tests run in order on one deployment, as a deployer's days follow each other. It starts as the
previous release, deployed with the guide's settings and holding a request and a photo; the first
test upgrades it to the working tree with the guide's upgrade step (`up -d --build --wait`: the new
image built, migrations applied, every service up and healthy), and the others check that stack.

The previous release is the release production runs (PREVIOUS_RELEASE): the upgrade is the one the
next deploy makes. Checking it out needs the repository's history (a full clone, not `--depth 1`).

Visitors' text is stored encrypted (docs/privacy-at-rest.md): the checks read requests through Django
(`manage.py shell` in the web container) and ask the database only for ids, counts and ciphertext.
"""

import gzip
import http.client
import json
import secrets
import shutil
import subprocess
import time
import uuid
from types import SimpleNamespace

import pytest

from tests.faults.visitors import THANKS, Visitor, wait_like_a_person
from tests.image.deployment import Deployment, Watcher, cron_commands, guide_step
from tests.stack import BASE_DIR, _exchange

SEED_TITLE = "Therapy for Relationship Issues"
SEED_WORDS = "Humans are relational creatures."
ALERT = "New consultation request #"

# A photo saved as admin saves one (pages/photos.py), in the web container; prints a rendition's name.
PHOTO_CODE = """
import io
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pages import photos
from pages.models import Photo
data = io.BytesIO()
Image.new("RGB", (1400, 1000), (40, 110, 100)).save(data, "JPEG")
photo = Photo(title="Deploy check", alt_text="A green square")
photos.process(photo, image=photos.read_upload(SimpleUploadedFile("p.jpg", data.getvalue(), content_type="image/jpeg")))
print(photos.rendition_names(photo)[0])
"""


# The last landed release: the one production runs, so the upgrade checked is the one the next deploy
# makes (from plain to encrypted requests: intake's migration 0011 encrypts the rows it finds). When a
# release lands, this moves to it.
PREVIOUS_RELEASE = "dc3e14fd9750d12cf6589c6d42730df1af99fbc6"

# Every request as the site reads it (decrypted): [[id, message], ...] as JSON on the last line.
REQUESTS_CODE = """
import json
from intake.models import ConsultationRequest
print(json.dumps([[r.pk, r.message] for r in ConsultationRequest.objects.order_by("pk")]))
"""

# The therapist's account as the site reads it, the password typed being checked read from stdin.
ACCOUNT_CODE = """
import json, sys
from django.contrib.auth import get_user_model
user = get_user_model().objects.get(username="drwells")
print(json.dumps({
    "email": user.email,
    "is_staff": user.is_staff,
    "is_superuser": user.is_superuser,
    "is_active": user.is_active,
    "usable_password": user.has_usable_password(),
    "password_matches": user.check_password(sys.stdin.readline().rstrip("\\n")),
}))
"""


def previous_release():
    found = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{PREVIOUS_RELEASE}^{{commit}}"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
    )
    if found.returncode:
        pytest.fail(
            f"image-check needs the repository's history (a full clone): no commit {PREVIOUS_RELEASE}"
        )
    return found.stdout.strip()


@pytest.fixture(scope="module")
def site(mail):
    """The previous release, deployed, holding a request and a photo (`deployment.kept`)."""
    deployment = Deployment(mail.port)
    try:
        started = time.monotonic()
        deployment.check_out(previous_release())
        # This machine's terms are the check's, not the release's.
        shutil.copy2(BASE_DIR / "compose.check.yaml", deployment.folder)
        deployment.make_keys()
        deployment.step("settings")
        deployment.write_env()
        # The previous release's image asks gunicorn's health on port 8000 only, which this check
        # moves: that stack is waited for through the proxy, not with --wait.
        deployment.run("docker compose up -d --build", timeout=900)
        # A tag of its own keeps that image (and so the next run's build cache) when the upgrade
        # moves practice-site to the new one.
        subprocess.run(["docker", "tag", "practice-site", "practice-site:previous-release"], check=True)
        deployment.wait_for_site()
        marker = f"kept-{uuid.uuid4().hex[:8]}"
        number = send_request(deployment, marker)
        # That release stores it in plain text; the upgrade is to encrypt it.
        assert marker in raw_request(deployment, number)
        # That release's nightly backup: a plain dump, written as root (the upgrade's part for it moves on).
        deployment.compose("run", "--rm", "backup")
        listing = deployment.compose("run", "--rm", "-T", "--entrypoint", "ls", "backup", "/backups")
        assert listing.strip().endswith(".dump"), listing
        rendition = deployment.manage("shell", "-c", PHOTO_CODE).strip().splitlines()[-1]
        photo = deployment.request(f"/media/{rendition}")
        assert photo.status == 200 and photo.body
        deployment.kept = {
            "requests": requests_in_database(deployment),
            "request": (number, marker),
            "photo": (f"/media/{rendition}", photo.body),
            "migrations": int(deployment.sql("SELECT count(*) FROM django_migrations")),
        }
        print(f"\nimage-check: the previous release up, with data, in {time.monotonic() - started:.0f} s")
        yield deployment
    finally:
        deployment.remove()


def send_request(site, marker):
    """A consultation request sent through the proxy as a browser sends it; its number."""
    visitor = Visitor(SimpleNamespace(caddy=site), "127.0.0.1")
    form, response = visitor.open_form()
    assert form, f"the form did not open: {response.status}"
    wait_like_a_person(form)
    response = visitor.post(form.filled(marker))
    assert (response.status, response.headers.get("Location")) == (302, THANKS), response.text()[:500]
    (number,) = [number for number, message in requests_in_database(site) if message.startswith(f"{marker}:")]
    return number


def requests_in_database(site):
    """Every request's number and message, as the site reads them, checked against the table's ids."""
    requests = json.loads(site.manage("shell", "-c", REQUESTS_CODE).strip().splitlines()[-1])
    ids = [int(line) for line in site.sql("SELECT id FROM intake_consultationrequest ORDER BY id").split()]
    assert [number for number, _ in requests] == ids
    return requests


def raw_request(site, number):
    """A request's row as the database holds it (every column, as text)."""
    return site.sql("SELECT t::text FROM intake_consultationrequest t WHERE id = :'id'", id=number)


def test_an_upgrade_applies_migrations_keeps_everything_and_the_site_answers_throughout(site):
    # git pull, then the rest of the guide's step.
    site.check_out()
    upgrade = guide_step("upgrade")
    assert "git pull\n" in upgrade
    started = time.monotonic()
    with Watcher(site) as watcher:
        site.run(upgrade.replace("git pull\n", ""), timeout=900)
        site.wait_for_site()
        time.sleep(2)
    print(
        f"\nimage-check: upgrade took {time.monotonic() - started:.0f} s, {len(watcher.seen)} requests watched, "
        f"the slowest answer {watcher.slowest:.1f} s"
    )

    assert int(site.sql("SELECT count(*) FROM django_migrations")) > site.kept["migrations"], (
        "no migration applied"
    )
    site.compose("run", "--rm", "--no-deps", "migrate", "python", "manage.py", "migrate", "--check")
    site.step("first-encrypted-upgrade", timeout=600)
    # The request written under the old release reads as it did, and is encrypted in the database.
    assert requests_in_database(site) == site.kept["requests"]
    number, marker = site.kept["request"]
    row = raw_request(site, number)
    assert row and marker not in row
    path, body = site.kept["photo"]
    assert site.request(path).body == body
    kinds = [kind for _, kind, _ in watcher.seen]
    assert kinds and kinds[-1] == "page"
    unexpected = [seen for seen in watcher.seen if seen[1] not in ("page", "maintenance")]
    assert not unexpected


def test_every_service_is_up_and_web_reports_healthy(site):
    states = {}
    for line in site.compose("ps", "--all", "--format", "{{.Service}} {{.State}} {{.Health}}").splitlines():
        service, state, *health = line.split()
        states[service] = (state, *health)
    assert states["db"] == ("running", "healthy")
    assert states["web"] == ("running", "healthy")
    assert states["proxy"][0] == "running"
    assert states["worker"][0] == "running"
    assert states["migrate"][0] == "exited"
    # The image's own HEALTHCHECK, as Docker ran it.
    web = site.compose("ps", "-q", "web").strip()
    health = subprocess.run(
        ["docker", "inspect", "--format", "{{json .State.Health}}", web],
        check=True,
        capture_output=True,
        text=True,
    )
    health = json.loads(health.stdout)
    assert health["Status"] == "healthy"
    assert health["Log"][-1]["ExitCode"] == 0


def test_the_guides_command_creates_the_therapists_account_and_prints_where_to_sign_in(site):
    # Typed twice, as create_therapist asks. Without a terminal (stdout captured here, as in a script)
    # `docker compose exec` allocates no TTY, so getpass reads the two lines from stdin: the guide's
    # command runs as written.
    password = secrets.token_urlsafe(24)
    step = guide_step("therapist")
    assert "docker compose exec web python manage.py create_therapist drwells" in step
    result = site.run(step, input=f"{password}\n{password}\n", timeout=300)

    login_path = "/admin/login/"
    assert 'Account "drwells" created.' in result.stdout, result.stdout + result.stderr
    assert f"Open {site.url}{login_path} and sign in" in result.stdout, result.stdout
    assert password not in result.stdout + result.stderr
    # The account, read in the web container; the password goes on stdin, not on a command line.
    account = site.compose(
        "exec", "-T", "web", "python", "manage.py", "shell", "-c", ACCOUNT_CODE, input=password + "\n"
    )
    assert json.loads(account.strip().splitlines()[-1]) == {
        "email": "wells@practice.example",
        "is_staff": True,
        "is_superuser": True,
        "is_active": True,
        "usable_password": True,
        "password_matches": True,
    }
    # The address it printed is the admin's sign-in page, through the proxy.
    assert site.request(login_path).status == 200


def test_https_through_the_proxy_serves_the_seed_page_compressed(site):
    response = site.request("/relationship-issues/", headers={"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.headers["Content-Encoding"] == "gzip"
    page = gzip.decompress(response.body).decode()
    assert SEED_TITLE in page and SEED_WORDS in page.replace("&#x27;", "'").replace("’", "'")
    assert "Server" not in response.headers

    plain = _exchange(
        http.client.HTTPConnection("127.0.0.1", site.ports["CHECK_HTTP_PORT"], timeout=10),
        "GET",
        "/relationship-issues/",
        {"Host": "localhost"},
        None,
    )
    assert plain.status == 308
    assert plain.headers["Location"].startswith("https://localhost")


def test_a_request_sent_through_the_proxy_is_stored_and_its_alert_reaches_the_mail_server(site, mail):
    marker = f"deploy-check-{uuid.uuid4().hex[:8]}"
    number = send_request(site, marker)
    mail.wait_for(
        lambda arrivals: any(arrival.subject == f"{ALERT}{number}" for arrival in arrivals),
        timeout=90,
        what=f"the alert for request {number}",
    )
    (arrival,) = [arrival for arrival in mail.received() if arrival.subject == f"{ALERT}{number}"]
    assert arrival.recipients == ("therapist@practice.example",)


def test_the_site_runs_as_non_root_with_a_read_only_code_folder(site):
    for service in ("web", "worker"):
        assert site.compose("exec", "-T", service, "id", "-u").strip() == "10001"
        result = site.run(f"docker compose exec -T {service} touch /app/manage.py", check=False)
        assert result.returncode != 0 and "Permission denied" in result.stderr
        result = site.run(f"docker compose exec -T {service} touch /app/new-file", check=False)
        assert result.returncode != 0 and "Permission denied" in result.stderr
    # Photos are the one thing it writes.
    site.compose("exec", "-T", "web", "sh", "-c", "touch /app/media/.written && rm /app/media/.written")


def test_backup_and_purge_from_cron_then_the_drill_passes_and_a_restore_brings_everything_back(site):
    marker = f"restore-check-{uuid.uuid4().hex[:8]}"
    number = send_request(site, marker)
    assert marker not in raw_request(site, number)
    backup, purge = cron_commands(guide_step("cron"))
    # As cron runs them: what they print goes to cron's mail, which is empty when they succeed.
    assert site.run(backup, timeout=300).stdout == ""
    assert site.run(purge, timeout=300).stdout == ""
    assert "backup: wrote practice-" in (site.logs / "practice-backup.log").read_text()
    assert "Deleted " in (site.logs / "practice-purge.log").read_text()
    listing = site.compose("run", "--rm", "-T", "--entrypoint", "ls", "backup", "/backups").split()
    # The upgrade's first encrypted set and cron's, each whole; nothing in plain (the old dump gone).
    parts = sorted(name.split(".", 1)[1] for name in listing)
    assert parts == sorted(["dump.age", "manifest.age", "media.tar.age"] * 2), listing

    # The guide's drill, with the private key brought for the run.
    site.bring_backup_key()
    drill = site.step("drill", timeout=300)
    assert "restore drill: OK" in drill.stdout, drill.stdout + drill.stderr

    # Lost after the backup (a request deleted, the photos gone), then the guide's restore.
    site.manage(
        "shell",
        "-c",
        f"from intake.models import ConsultationRequest; ConsultationRequest.objects.filter(pk={number}).delete()",
    )
    assert site.sql("SELECT count(*) FROM intake_consultationrequest WHERE id = :'id'", id=number) == "0"
    site.compose("exec", "-T", "web", "sh", "-c", "rm -rf /app/media/*")
    path, body = site.kept["photo"]
    assert site.request(path).status != 200
    site.bring_backup_key()
    site.step("restore")
    assert not (site.folder / "backup-key.txt").exists()
    assert not list(site.folder.glob("practice*.dump")) and not (site.folder / "media.tar").exists()
    site.wait_for_site()
    assert dict(requests_in_database(site))[number].startswith(f"{marker}:")
    assert marker not in raw_request(site, number)
    assert site.request(path).body == body
    assert site.request("/consultation/").status == 200


def test_down_and_up_keep_every_request_and_photo(site):
    before = requests_in_database(site)
    assert len(before) > len(site.kept["requests"])

    site.compose("down", "--timeout", "20")
    site.step("start", timeout=600)
    site.forget_certificate()
    site.wait_for_site()

    assert requests_in_database(site) == before
    path, body = site.kept["photo"]
    photo = site.request(path)
    assert (photo.status, photo.body) == (200, body)
