"""
Stand-ins for the three official base images, which no registry here can provide, built from Debian's
and PyPI's packages and tagged with the official names so that Dockerfile and compose.yaml run
unchanged. Production pulls the real images; these do only what this project uses of them.

- practice-standin/debian:trixie: Debian trixie (debootstrap, minbase) with the machine's CA bundle,
  the common parent of the three below.
- python:3.13-slim, postgres:17, caddy:2.11.7: Dockerfiles in standins/.

Each is built once: its tag carries a label with a hash of its recipe (and of its parent image), and a
tag whose label matches is kept as it is.
"""

import hashlib
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RECIPES = HERE / "standins"
LABEL = "practice.standin.recipe"
BASE = "practice-standin/debian:trixie"
MIRROR = "http://deb.debian.org/debian"
DEBOOTSTRAP = ["debootstrap", "--variant=minbase", "--include=ca-certificates", "trixie"]
HOST_CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
# In build order: each may start FROM the ones before it.
IMAGES = [("python:3.13-slim", "python"), ("postgres:17", "postgres"), ("caddy:2.11.7", "caddy")]

# What the base image gets besides debootstrap's system: packages never start services while an
# image is built (as in Debian's own images), apt accepts the mirror's Release files however old.
POLICY_RC_D = "#!/bin/sh\n# Services never start while an image is built.\nexit 101\n"
APT_CONF = 'Acquire::Check-Valid-Until "false";\nAPT::Install-Recommends "false";\n'


def log(message):
    print(f"standins: {message}", flush=True)


def docker(*args, capture=True):
    result = subprocess.run(["docker", *args], check=True, capture_output=capture, text=True)
    return (result.stdout or "").strip()


def label_of(tag):
    result = subprocess.run(
        ["docker", "image", "inspect", "--format", f'{{{{index .Config.Labels "{LABEL}"}}}}', tag],
        capture_output=True,
        text=True,
    )
    return result.stdout.strip() if result.returncode == 0 else None


def image_id(tag):
    return docker("image", "inspect", "--format", "{{.Id}}", tag)


def recipe_hash(*parts):
    digest = hashlib.sha256()
    for part in parts:
        if isinstance(part, Path):
            for path in sorted(p for p in part.rglob("*") if p.is_file()):
                digest.update(str(path.relative_to(part)).encode() + b"\0" + path.read_bytes())
        else:
            digest.update(str(part).encode())
        digest.update(b"\0\0")
    return digest.hexdigest()[:16]


def build_base():
    wanted = recipe_hash(" ".join(DEBOOTSTRAP), MIRROR, POLICY_RC_D, APT_CONF, HOST_CA_BUNDLE.read_bytes())
    if label_of(BASE) == wanted:
        log(f"{BASE} is current")
        return
    log(f"{BASE}: debootstrap (about a minute)")
    started = time.monotonic()
    root = Path(tempfile.mkdtemp(prefix="standin-rootfs-", dir="/var/tmp"))
    try:
        subprocess.run([*DEBOOTSTRAP, str(root), MIRROR], check=True, stdout=subprocess.DEVNULL)
        (root / "usr/sbin/policy-rc.d").write_text(POLICY_RC_D)
        (root / "usr/sbin/policy-rc.d").chmod(0o755)
        (root / "etc/apt/apt.conf.d/99standin").write_text(APT_CONF)
        # The machine's CA bundle, so that pip and apt inside builds trust what the machine trusts;
        # kept as a local certificate too, so a later update-ca-certificates keeps it.
        shutil.copyfile(HOST_CA_BUNDLE, root / "etc/ssl/certs/ca-certificates.crt")
        shutil.copyfile(HOST_CA_BUNDLE, root / "usr/local/share/ca-certificates/machine-bundle.crt")
        for cache in ("var/lib/apt/lists", "var/cache/apt/archives"):
            for path in (root / cache).glob("*"):
                if path.is_file():
                    path.unlink()
        tar = subprocess.Popen(["tar", "-C", str(root), "-c", "."], stdout=subprocess.PIPE)
        subprocess.run(
            [
                "docker",
                "import",
                "--change",
                f"LABEL {LABEL}={wanted}",
                "--change",
                'CMD ["bash"]',
                "-",
                BASE,
            ],
            stdin=tar.stdout,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        if tar.wait():
            raise RuntimeError("tar of the debootstrapped system failed")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    log(f"{BASE} built in {time.monotonic() - started:.0f} s")


def build(tag, recipe):
    folder = RECIPES / recipe
    parents = [BASE] + [earlier for earlier, _ in IMAGES[: [t for t, _ in IMAGES].index(tag)]]
    wanted = recipe_hash(folder, *(image_id(parent) for parent in parents))
    if label_of(tag) == wanted:
        log(f"{tag} is current")
        return
    log(f"{tag}: building from {folder.relative_to(HERE.parent.parent)}")
    started = time.monotonic()
    docker(
        "build", "--network", "host", "--label", f"{LABEL}={wanted}", "-t", tag, str(folder), capture=False
    )
    log(f"{tag} built in {time.monotonic() - started:.0f} s")


def main():
    build_base()
    for tag, recipe in IMAGES:
        build(tag, recipe)


if __name__ == "__main__":
    sys.exit(main())
