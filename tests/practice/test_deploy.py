"""The Docker deploy, from the files and the image's command outside containers (make image-check runs the stack itself: tests/image)."""

import gc
import json
import re
import runpy
import shlex
import subprocess
import urllib.error
import urllib.request

from django.core.management import get_commands, load_command_class
from gunicorn.config import Config

from practice.settings import BASE_DIR, MEDIA_ROOT
from tests.image.deployment import GUIDE, guide_step
from tests.practice.compose_file import compose
from tests.stack import DOCKERFILE, VENV_BIN, Gunicorn, image_command


def fetch(port, path, **headers):
    """Ask the server the way the TLS proxy does: the public host name and X-Forwarded-Proto."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        headers={"Host": "practice.example", "X-Forwarded-Proto": "https", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_the_image_command_serves_health_pages_and_compressed_static_files(
    production_env, migrated_database_url
):
    server = Gunicorn(production_env | {"DATABASE_URL": migrated_database_url})
    try:
        status, _, body = fetch(server.port, "/healthz")
        assert (status, body) == (200, b"ok\n")

        status, headers, body = fetch(server.port, "/?private=sentinel-query-value")
        assert status == 200
        assert headers["Content-Type"].startswith("text/html")

        status, _, _ = fetch(server.port, "/consultation/withdraw/sentinel-withdraw-token/")
        assert status == 400
        status, _, _ = fetch(server.port, "/consultation/time/sentinel-time-token/")
        assert status == 400
        fetch(server.port, "/consultation/times/sentinel-times-token/")

        status, _, _ = fetch(server.port, "/calendar/sentinel-calendar-token.ics")
        assert status == 404

        status, headers, _ = fetch(server.port, "/admin/login/")
        assert status == 200
        cookie = headers["Set-Cookie"]
        assert cookie.startswith("__Host-csrftoken=") and "Secure" in cookie and "Path=/" in cookie

        manifest = json.loads((BASE_DIR / "staticfiles" / "staticfiles.json").read_text())
        stylesheet = manifest["paths"]["vendor/bootstrap/bootstrap.min.css"]
        assert stylesheet != "vendor/bootstrap/bootstrap.min.css", "static names must carry a content hash"
        status, headers, body = fetch(server.port, f"/static/{stylesheet}", **{"Accept-Encoding": "gzip"})
        assert status == 200
        assert headers["Content-Encoding"] == "gzip"
        assert "max-age=31536000" in headers["Cache-Control"]
        assert "immutable" in headers["Cache-Control"]
        assert len(body) < 40_000
    finally:
        output = server.stop()
    assert '"GET /healthz" 200' in output, output
    assert "sentinel-query-value" not in output, "the access log must never carry query strings"
    assert '"GET /consultation/withdraw/[link]/" 400' in output, output
    assert "sentinel-withdraw-token" not in output, "a withdraw link's token must stay out of every log"
    assert '"GET /consultation/time/[link]/" 400' in output, output
    assert '"GET /consultation/times/[link]/"' in output, output
    assert "sentinel-time" not in output, "a consultation link's token must stay out of every log"
    assert '"GET /calendar/[link]" 404' in output, output
    assert "Not Found: /calendar/[link]" in output, output
    assert "sentinel-calendar-token" not in output, "a calendar feed's token must stay out of every log"


def test_healthz_answers_503_when_the_database_is_unreachable(production_env):
    server = Gunicorn(production_env | {"DATABASE_URL": "postgres://nobody@127.0.0.1:1/nothing"})
    try:
        status, headers, body = fetch(server.port, "/healthz")
    finally:
        server.stop()
    assert status == 503
    assert "Set-Cookie" not in headers


def test_dockerfile_passes_hadolint():
    result = subprocess.run(
        [VENV_BIN / "hadolint", "--failure-threshold", "warning", DOCKERFILE], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_follows_the_deploy_rules():
    text = DOCKERFILE.read_text()
    assert text.count("FROM python:3.13-slim") == 2, "multi-stage on python:3.13-slim"
    assert "PYTHONDONTWRITEBYTECODE=1" in text
    assert "PYTHONUNBUFFERED=1" in text
    assert text.index("requirements.txt") < text.index("COPY . ."), "requirements install before the code"
    assert "collectstatic" in text
    assert "HEALTHCHECK" in text and "/healthz" in text
    assert "USER 10001" in text
    assert image_command() == ["gunicorn", "--config", "gunicorn.conf.py"]


def test_compose_names_only_files_and_commands_that_exist():
    services = compose()["services"]
    assert set(services) >= {"db", "migrate", "web"}
    assert (BASE_DIR / services["migrate"]["build"] / "Dockerfile").exists()
    assert (BASE_DIR / ".env.example").exists(), "compose reads .env, copied from .env.example"
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            assert not source.startswith(".") or (BASE_DIR / source).exists(), f"{name} mounts {source}"
        command = service.get("command")
        if command is None or service.get("image") != "practice-site":
            continue
        if isinstance(command, str):
            command = shlex.split(command)
        assert command[:2] == ["python", "manage.py"], f"{name} runs an unknown program"
        assert command[2] in get_commands(), f"{name} runs an unknown management command {command[2]}"


def test_compose_waits_for_a_healthy_database_and_keeps_it_private():
    services = compose()["services"]
    db = services["db"]
    assert db["image"].startswith("postgres:17")
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert "ports" not in db, "PostgreSQL must not be published"
    assert any(volume.startswith("pgdata:") for volume in db["volumes"])
    assert services["web"]["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "migrate": {"condition": "service_completed_successfully"},
    }


def test_only_the_proxy_is_published_on_the_host():
    services = compose()["services"]
    assert {name for name, service in services.items() if "ports" in service} == {"proxy"}
    assert services["proxy"]["ports"] == ["80:80", "443:443", "443:443/udp"]


def test_the_proxy_runs_the_repositorys_caddyfile_for_the_domain_in_env():
    proxy = compose()["services"]["proxy"]
    assert proxy["image"].startswith("caddy:2.11.")
    assert proxy["environment"] == {
        "SITE_DOMAIN": "${SITE_DOMAIN:?set SITE_DOMAIN in .env}",
        "DJANGO_ADMIN_URL": "${DJANGO_ADMIN_URL:-admin/}",  # the photo upload's larger body limit
    }
    assert proxy["volumes"] == [
        "./Caddyfile:/etc/caddy/Caddyfile:ro",
        "caddy_data:/data",
        "caddy_config:/config",
    ], "certificates survive a restart: Let's Encrypt limits how often they are issued"
    assert proxy["restart"] == "unless-stopped"


def test_backup_is_a_job_run_from_cron_with_its_own_volume():
    services = compose()["services"]
    backup = services["backup"]
    assert backup["profiles"] == ["jobs"], "`up` never starts it"
    assert backup["image"] == services["web"]["image"], "the site's image: its pg_dump and field keys"
    assert "postgresql-client-17" in DOCKERFILE.read_text(), "pg_dump of the server's own major version"
    assert services["db"]["image"] == "postgres:17"
    assert backup["volumes"] == ["backups:/backups", "media:/app/media:ro"], "the photos too"
    assert backup["environment"]["BACKUP_DIR"] == "/backups"
    assert backup["environment"]["BACKUP_KEEP"] == 14
    assert backup["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert backup["restart"] == "no"


def test_every_named_volume_is_declared_and_used():
    data = compose()
    mounted = {
        volume.split(":")[0]
        for service in data["services"].values()
        for volume in service.get("volumes", [])
        if not volume.startswith((".", "/"))
    }
    assert mounted == set(data["volumes"]) == {"pgdata", "caddy_data", "caddy_config", "backups", "media"}


def test_photos_live_on_a_volume_the_site_can_write_to():
    web = compose()["services"]["web"]
    assert web["volumes"] == ["media:/app/media"]
    assert "install -d -o 10001 -g 10001 /app/media /backups" in DOCKERFILE.read_text()
    assert "WORKDIR /app" in DOCKERFILE.read_text()
    assert MEDIA_ROOT == BASE_DIR / "media", "in the image, /app/media: where the volume is"


def test_each_gunicorn_worker_freezes_what_it_loaded_for_the_garbage_collector():
    config = runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))
    assert gc.get_freeze_count() == 0
    try:
        config["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_gunicorn_runs_the_worker_model_its_config_chose_by_measurement():
    """Sync workers, one request each, behind the buffering proxy (gunicorn.conf.py says why)."""
    config = Config()
    for name, value in runpy.run_path(str(BASE_DIR / "gunicorn.conf.py")).items():
        if name in config.settings:
            config.set(name, value)
    assert config.worker_class_str == "sync"
    assert config.threads == 1


def test_every_docker_compose_command_in_the_deploy_guide_is_a_step_the_image_check_runs():
    """A block of docs/deploying.md that runs `docker compose` without a step mark is never run in CI."""
    text = GUIDE.read_text()
    blocks = re.finditer(r"(<!-- step: [\w-]+ -->\s*)?```(?:sh|crontab)\n(.*?)```", text, re.DOTALL)
    unmarked = [block[2] for block in blocks if "docker compose" in block[2] and not block[1]]
    assert not unmarked


def test_every_doc_that_shows_create_therapist_shows_the_command_the_image_check_runs():
    """The practice guide repeats the deploy guide's step: a copy that drifted would never be run."""
    (step,) = [line for line in guide_step("therapist").splitlines() if "create_therapist" in line]
    shown = [
        line.split("#")[0].strip()
        for document in sorted((BASE_DIR / "docs").glob("*.md"))
        for line in document.read_text().splitlines()
        if line.startswith("docker compose") and "create_therapist" in line
    ]
    assert len(shown) >= 2 and set(shown) == {step}


def test_the_guides_therapist_step_runs_create_therapist_with_arguments_it_takes():
    (command,) = [line for line in guide_step("therapist").splitlines() if "manage.py" in line]
    words = shlex.split(command)
    assert words[:5] == ["docker", "compose", "exec", "web", "python"]
    assert words[5:7] == ["manage.py", "create_therapist"]
    assert get_commands()[words[6]] == "accounts"
    options = (
        load_command_class("accounts", words[6]).create_parser("manage.py", words[6]).parse_args(words[7:])
    )
    assert (options.username, options.email) == ("drwells", "wells@practice.example")
