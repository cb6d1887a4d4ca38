"""Gunicorn settings for the Docker image (and the production smoke test)."""

import gc
import os

from gunicorn.glogging import Logger

from practice.log_paths import HideSecretPaths, without_secrets

wsgi_app = "practice.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Sync workers, one request each, because the proxy in front buffers (Caddyfile: request_buffers,
# response_buffers): a worker only ever talks to Caddy over the loopback, with a whole request in
# hand, so no slow or stalled client can hold one (gunicorn's deployment guide asks exactly this of
# sync workers). Chosen by measurement against gthread (2 workers of 4 threads, run on the same
# stack with GUNICORN_CMD_ARGS="--worker-class gthread --threads 4"), 2026-12-07 on 2 shared cores
# at load 8 to 20:
# - tests/faults/test_slow_clients.py, p99 of 50 visitors among 20 slow clients and 4 slow readers
#   (limit 1 s), three runs each: sync 0.74, 1.16 and 0.57 s, gthread 1.40, 1.12 and 0.75 s. With the
#   proxy buffering, threads have no waiting client to overlap, so they win nothing here.
# - make bench, two runs each: gthread served the cached pages 1.3 to 3.3 times as many requests a
#   second as sync, but the bare view too 1.0 to 2.7 times (eight threads take more of cores shared
#   with other work: not the site's own speed), so against the bare view the pages read 0.47 to 1.02
#   with sync and 0.88 to 1.19 with gthread, run by run (perhaps threads overlap the content-version
#   query's round trip to PostgreSQL; not shown). In the first pair, at the same load, the form GET
#   and the valid POST were no faster (59 and 62, 32 and 32 requests a second), and gunicorn's time
#   per form GET was 24 ms with sync and 65 with threads waiting on each other (likely the GIL).
# - gthread would also ask every per-worker cache (pages/freshness/per_version.py, the form cache)
#   to be safe across threads, which nothing here checks.
# So sync, until a quiet machine says otherwise: the same variable re-runs both measurements.
timeout = 30
graceful_timeout = 20
# Only the TLS proxy in front may say a request came over HTTPS.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# gunicorn's largest request line (the default is 4094), so that the TLS proxy, which answers a URI
# over 8000 bytes with its own page (Caddyfile), decides what is too long: gunicorn's answer is a
# bare page without the site's headers.
limit_request_line = 8190
# No runtime control socket: nothing in the container uses it.
control_socket_disable = True

accesslog = "-"
errorlog = "-"
# Method, path without the query string, status, bytes, seconds. Never %(r)s,
# %(q)s or %(h)s: a request line can carry query strings, and an address
# identifies a visitor.
access_log_format = '"%(m)s %(U)s" %(s)s %(B)s %(L)ss'


class AccessLogWithoutSecrets(Logger):
    """
    The path of a visitor's link is its token: the access log shows the page, not the token, and
    every line of gunicorn's, access and error log, has its control characters escaped
    (practice/log_paths.py). It never raises: on gunicorn's error paths (a worker timeout, a
    request it could not parse) what it is given may be None or missing, and an exception here
    would end the worker with no log line and no answer.
    """

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            if not any(isinstance(item, HideSecretPaths) for item in log.filters):
                log.addFilter(HideSecretPaths())

    def atoms(self, resp, req, environ, request_time):
        try:
            atoms = super().atoms(resp, req, environ, request_time)
        except Exception:  # noqa: BLE001 - a line with dashes beats a dead worker
            atoms = {}
            self.error_log.warning("An access log line could not be built", exc_info=True)
        atoms["U"] = without_secrets(atoms.get("U"), path=True)
        return atoms


logger_class = AccessLogWithoutSecrets


def post_worker_init(worker):  # noqa: ARG001 - gunicorn names the hook's argument
    """
    Once a worker has loaded the site, what it loaded lives as long as the worker: the garbage
    collector stops walking it at every full collection. Measured with the consultation form's GET
    and POST on the benchmark's machine kind: half the time spent collecting, the slowest POST of
    sixty 27 ms instead of 42.
    """
    gc.collect()
    gc.freeze()
