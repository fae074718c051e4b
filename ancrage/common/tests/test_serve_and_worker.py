"""`ancrage serve` runs the production server; `ancrage worker` drains the task queue."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
ANCRAGE = [sys.executable, "-c", "from ancrage.cli import main; main()"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def production_env(tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ANCRAGE_", "DATABASE_URL"))}
    env = clean | {
        "ANCRAGE_PROFILE": "production",
        "ANCRAGE_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SECRET_KEY": "".join(chr(48 + i % 70) for i in range(64)),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "EMAIL_URL": "smtp://127.0.0.1:1",
    }
    for command in (["migrate", "-v", "0"], ["collectstatic", "--no-input", "-v", "0"]):
        subprocess.run([*ANCRAGE, *command], env=env, cwd=ROOT, check=True)  # noqa: S603
    return env


def test_serve_answers_pages_and_compressed_static_files(production_env):
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [*ANCRAGE, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=production_env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                page = urllib.request.urlopen(f"{base}/", timeout=2)  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("ancrage serve did not answer within 10 s")
        assert page.status == 200
        assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
        html = page.read().decode()
        css_path = html.split('rel="stylesheet" href="')[1].split('"')[0]
        assert css_path.startswith("/static/ancrage/css/app.")
        assert css_path.endswith(".css")
        request = urllib.request.Request(base + css_path, headers={"Accept-Encoding": "gzip"})
        css = urllib.request.urlopen(request, timeout=2)  # noqa: S310
        assert css.headers["Content-Encoding"] == "gzip"
        assert "immutable" in css.headers["Cache-Control"]
        # A worker that dies is started again.
        workers = subprocess.run(
            ["pgrep", "-P", str(server.pid)], capture_output=True, text=True, check=True
        ).stdout.split()
        os.kill(int(workers[0]), signal.SIGKILL)
        for _ in range(150):
            time.sleep(0.1)
            try:
                if urllib.request.urlopen(f"{base}/", timeout=2).status == 200:  # noqa: S310
                    break
            except OSError:
                pass
        else:
            pytest.fail("ancrage serve did not answer again within 15 s of losing its worker")
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_worker_runs_a_queued_task_and_exits_in_batch_mode(production_env):
    enqueue = (
        "import django; django.setup();"
        "from ancrage.common.tasks import ping; print(ping.enqueue().id)"
    )
    result_id = subprocess.run(  # noqa: S603
        [sys.executable, "-c", enqueue],
        env=production_env | {"DJANGO_SETTINGS_MODULE": "config.settings"},
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    subprocess.run(
        [*ANCRAGE, "worker", "--batch"], env=production_env, cwd=ROOT, check=True, timeout=60
    )  # noqa: S603
    status = (
        "import django; django.setup();"
        f"from ancrage.common.tasks import ping; r = ping.get_result('{result_id}');"
        "print(r.status, r.return_value)"
    )
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", status],
        env=production_env | {"DJANGO_SETTINGS_MODULE": "config.settings"},
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert out == "SUCCESSFUL pong"
