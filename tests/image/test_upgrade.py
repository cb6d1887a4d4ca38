"""
An upgrade as docs/deploying.md says: the previous release deployed and holding data, then the new
code pulled and brought up. Migrations apply, nothing is lost, and visitors get the site or the
proxy's maintenance page throughout, never an error of another kind or no answer.

The previous release is the commit before the newest one that changed a migration, so the upgrade
always has migrations to apply. Finding it needs the repository's history (a full clone, not
`--depth 1`).
"""

import shutil
import subprocess
import time
import uuid

import pytest

from tests.image.deployment import Deployment, Watcher, guide_step
from tests.image.test_stack import PHOTO_CODE, requests_in_database, send_request
from tests.stack import BASE_DIR


def previous_release():
    newest = subprocess.run(
        ["git", "log", "-1", "--format=%H", "--", "*/migrations/*"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    parent = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{newest}^"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
    )
    if not newest or parent.returncode:
        pytest.fail(
            "the upgrade check needs the repository's history (a full clone): no commit before the newest migration"
        )
    return parent.stdout.strip()


@pytest.fixture
def old_site(mail):
    deployment = Deployment(mail.port)
    try:
        deployment.check_out(previous_release())
        # This machine's terms are the check's, not the release's.
        shutil.copy2(BASE_DIR / "compose.check.yaml", deployment.folder)
        deployment.step("settings")
        deployment.write_env()
        # The previous release's image asks gunicorn's health on port 8000 only, which this check
        # moves: that stack is waited for through the proxy, not with --wait.
        deployment.run("docker compose up -d --build", timeout=900)
        deployment.wait_for_site()
        yield deployment
    finally:
        deployment.remove()


def test_an_upgrade_applies_migrations_keeps_everything_and_the_site_answers_throughout(old_site):
    site = old_site
    send_request(site, f"upgrade-check-{uuid.uuid4().hex[:8]}")
    rendition = site.manage("shell", "-c", PHOTO_CODE).strip().splitlines()[-1]
    photo = site.request(f"/media/{rendition}")
    assert photo.status == 200
    requests = requests_in_database(site)
    migrations = int(site.sql("SELECT count(*) FROM django_migrations"))

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
        f"\nimage-check: upgrade took {time.monotonic() - started:.0f} s, {len(watcher.seen)} requests watched, the slowest answer {watcher.slowest:.1f} s"
    )

    assert int(site.sql("SELECT count(*) FROM django_migrations")) > migrations, "no migration was applied"
    site.compose("run", "--rm", "--no-deps", "migrate", "python", "manage.py", "migrate", "--check")
    assert requests_in_database(site) == requests
    assert (site.request(f"/media/{rendition}").body) == photo.body
    kinds = [kind for _, kind, _ in watcher.seen]
    assert kinds and kinds[-1] == "page"
    assert set(kinds) <= {"page", "maintenance"}, [
        seen for seen in watcher.seen if seen[1] not in ("page", "maintenance")
    ]
    # The new image runs: its health check (on the moved port) passes.
    web = site.compose("ps", "-q", "web").strip()
    status = subprocess.run(
        ["docker", "inspect", "--format", "{{.State.Health.Status}}", web], capture_output=True, text=True
    )
    assert status.stdout.strip() == "healthy"
