# The practice site: gunicorn serving Django, static files included (whitenoise).
# Build: docker build -t practice-site .   Run: see compose.yaml and the README.

FROM python:3.13-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /venv
# Requirements first, so code changes don't reinstall every package.
COPY requirements.txt /tmp/requirements.txt
RUN /venv/bin/pip install --no-cache-dir -r /tmp/requirements.txt

FROM python:3.13-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH="/venv/bin:$PATH" \
    DJANGO_SETTINGS_MODULE=practice.settings
# pg_dump and pg_restore for the backup and restore-drill jobs: the server's major version (17) is
# pinned by the package's name; the minor follows Debian's security updates (an exact pin would
# stop building at the next one).
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client-17 \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 practice && useradd --system --no-create-home --uid 10001 --gid 10001 practice
COPY --from=build /venv /venv
WORKDIR /app
# The code stays owned by root: the running site cannot change itself. It writes only photos,
# to /app/media (compose mounts a volume there, which takes this folder's owner when new).
COPY . .
# collectstatic needs settings to load; these throwaway keys exist only for this step.
RUN DJANGO_SECRET_KEY=collectstatic-only FIELD_ENCRYPTION_KEYS=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= FIELD_HASH_KEY=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= python manage.py collectstatic --no-input \
    && install -d -o 10001 -g 10001 /app/media /backups
USER 10001:10001
EXPOSE 8000
# No curl in slim images; Python asks /healthz the way the TLS proxy would, on gunicorn's port
# (GUNICORN_BIND, as gunicorn.conf.py reads it).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as r; host = os.environ.get('DJANGO_ALLOWED_HOSTS', 'localhost').split(',')[0].strip().lstrip('.') or 'localhost'; port = os.environ.get('GUNICORN_BIND', '0.0.0.0:8000').rpartition(':')[2]; r.urlopen(r.Request(f'http://127.0.0.1:{port}/healthz', headers={'Host': host, 'X-Forwarded-Proto': 'https'}), timeout=4)"]
CMD ["gunicorn", "--config", "gunicorn.conf.py"]
