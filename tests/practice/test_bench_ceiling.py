"""The benchmark's ceiling view (practice/bench_ceiling.py) exists only when asked for. Fresh processes."""

from tests.processes import run_python

PAGE = b"<!doctype html><p>pre-rendered home</p>"
REQUEST = f"""
from django.test import Client
PAGE = {PAGE!r}
for path in ["/bench-ceiling/home", "/bench-ceiling/other", "/bench-ceiling/sent", "/bench-ceiling/bare"]:
    method = Client().post if path.endswith("sent") else Client().get
    response = method(path, HTTP_HOST="practice.example", secure=True)
    print(response.status_code, response.get("Location", "-"), response.content == PAGE, b"bare view" in response.content)
"""


def test_there_is_no_ceiling_address_by_default(production_env):
    """Without BENCH_CEILING_DIR, as in production, /bench-ceiling/ is no address at all."""
    result = run_python(
        production_env,
        "from django.urls import Resolver404, resolve\n"
        "for path in ['/bench-ceiling/home', '/bench-ceiling/sent', '/bench-ceiling/bare']:\n"
        "    try:\n"
        "        print(resolve(path).func.__module__)\n"
        "    except Resolver404:\n"
        "        print('none')\n",
    )
    assert result.stdout.split() == ["none", "none", "none"], result.stderr


def test_the_ceiling_serves_the_folders_pages_and_the_forms_redirect(production_env, tmp_path):
    """With a folder: its <name>.html as it is, 404 for a name it lacks, and the thank-you redirect."""
    (tmp_path / "home.html").write_bytes(PAGE)
    result = run_python(production_env | {"BENCH_CEILING_DIR": str(tmp_path)}, REQUEST)
    answers = [line for line in result.stdout.splitlines() if "django.request" not in line]
    assert answers == [
        "200 - True False",
        "404 - False False",
        "302 /consultation/thanks/ False False",
        "200 - False True",
    ], result.stderr
