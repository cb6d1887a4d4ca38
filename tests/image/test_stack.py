"""
The compose stack, built and run as docs/deploying.md says, checked from outside: through the proxy
over HTTPS, in the database, at a mail server on the host, and in the containers. `make image-check`
runs this (it needs dockerd, Compose and the stand-in base images, which it provides). The tests run
in order on one deployment, as a deployer's days follow each other.
"""

import gzip
import http.client
import json
import subprocess
import time
import uuid
from types import SimpleNamespace

import pytest

from tests.faults.visitors import THANKS, Visitor, wait_like_a_person
from tests.image.deployment import Deployment, cron_commands, guide_step
from tests.stack import _exchange

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


@pytest.fixture(scope="module")
def site(mail):
    deployment = Deployment(mail.port)
    try:
        deployment.check_out()
        deployment.step("settings")
        deployment.write_env()
        started = time.monotonic()
        deployment.step("start", timeout=900)
        print(f"\nimage-check: built and started in {time.monotonic() - started:.0f} s")
        deployment.wait_for_site()
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
    return int(
        site.sql(
            "SELECT id FROM intake_consultationrequest WHERE message LIKE :'marker' || ':%'", marker=marker
        )
    )


def requests_in_database(site):
    return site.sql("SELECT id, message FROM intake_consultationrequest ORDER BY id").splitlines()


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


def test_backup_and_purge_from_cron_then_a_restore_brings_the_request_back(site):
    marker = f"restore-check-{uuid.uuid4().hex[:8]}"
    number = send_request(site, marker)
    backup, purge = cron_commands(guide_step("cron"))
    site.run(backup, timeout=300)
    site.run(purge, timeout=300)
    assert "backup: wrote practice-" in (site.logs / "practice-backup.log").read_text()
    assert (site.logs / "practice-purge.log").exists()
    listing = site.compose("run", "--rm", "-T", "--entrypoint", "ls", "backup", "/backups")
    assert listing.count(".dump") == 1, listing

    # Lost after the backup (deleted, as by mistake), then the guide's restore.
    site.manage(
        "shell",
        "-c",
        f"from intake.models import ConsultationRequest; ConsultationRequest.objects.filter(pk={number}).delete()",
    )
    assert site.sql("SELECT count(*) FROM intake_consultationrequest WHERE id = :'id'", id=number) == "0"
    site.step("restore")
    assert site.sql("SELECT message FROM intake_consultationrequest WHERE id = :'id'", id=number).startswith(
        marker
    )
    site.wait_for_site()
    assert site.request("/consultation/").status == 200


def test_down_and_up_keep_every_request_and_photo(site):
    rendition = site.manage("shell", "-c", PHOTO_CODE).strip().splitlines()[-1]
    served = site.request(f"/media/{rendition}")
    assert served.status == 200 and served.body
    before = requests_in_database(site)
    assert before

    site.compose("down", "--timeout", "20")
    site.step("start", timeout=600)
    site.forget_certificate()
    site.wait_for_site()

    assert requests_in_database(site) == before
    photo = site.request(f"/media/{rendition}")
    assert (photo.status, photo.body) == (200, served.body)
