"""Card endpoint vs nginx on loopback: requests per second, p50/p99, and the ratio.

    .venv/bin/python bench/player/card_bench.py [--seconds 10] [--rounds 3] [--workers 2]

Budget (issue 5): the card endpoint — session authentication, licence check, the learner's
progress — serves at least 5 % of the requests per second that nginx serves for a static file
of the same size, measured in the same run, and its p99 is under 5 ms when unloaded.

What it does: installs Debian's nginx and wrk if missing (apt-get), recreates the PostgreSQL
database named by BENCH_DATABASE_URL (default ancrage_bench_player on 127.0.0.1), migrates it,
loads the demo catalogue and a signed-in learner (setup_learner.py), starts `ancrage serve`
(Granian, production profile, Redis cache and sessions when Redis answers on 127.0.0.1:6379)
and nginx on loopback — as many nginx worker processes as Granian workers (2 by default, one
per core here) — then alternates wrk runs against both (2 wrk threads, 32 connections) and
prints the medians, then one connection alone for the unloaded latency. The machine's load
(`uptime`) is printed before and after: on a shared machine the figures are indicative, the
ratio less so than either number.

Measured on the 2-core development machine: 650 req/s, 1.0 % of nginx, unloaded p99 5.95 ms
with gunicorn and the earlier lane (quiet machine); 3,122–4,134 req/s, 4.3–7.6 % of nginx,
unloaded p99 3.5–5.7 ms with Granian and the one-statement lane (five runs at load averages
2 to 8.5: docs/adr/0016-granian-web-server.md, docs/player.md); on a quiet machine
(2026-11-26) 4,111 req/s, 7.07 % of nginx, unloaded p99 1.49 ms.
This is a measurement, not a test: it always exits 0 unless something could not start.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import granian

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv" / "bin"
APP_PORT, NGINX_PORT = 18181, 18180


def ensure_tools() -> None:
    missing = [
        tool for tool in ("nginx", "wrk") if not shutil.which(tool, path="/usr/sbin:/usr/bin")
    ]
    if missing:
        print(f"installing {' '.join(missing)} with apt-get…", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", *missing],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )


def redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def wait_http(url: str, headers: dict[str, str] | None = None, timeout: float = 30) -> bytes:
    deadline = time.monotonic() + timeout
    while True:
        try:
            request = urllib.request.Request(url, headers=headers or {})
            with urllib.request.urlopen(request, timeout=2) as response:
                return response.read()
        except urllib.error.HTTPError as error:
            raise SystemExit(f"{url}: HTTP {error.code}: {error.read()[:500]!r}") from error
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    if match is None:
        raise SystemExit(f"cannot read wrk latency {value!r}")
    number, unit = match.groups()
    return float(number) * UNITS[unit]


def wrk(
    url: str, *, seconds: int, connections: int, threads: int, header: str = ""
) -> dict[str, float]:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if header:
        command[1:1] = ["-H", header]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)\s*$", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)\s*$", out, re.M).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise SystemExit(f"{url}: {non2xx.group(1)} error responses during the run:\n{out}")
    return {"rps": rps, "p50": p50, "p99": p99}


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "4")))
    args = parser.parse_args()
    ensure_tools()
    load_before = uptime()
    work = Path(tempfile.mkdtemp(prefix="ancrage-bench-player-"))
    db_url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ancrage_bench_player"
    )
    db_name = db_url.rsplit("/", 1)[1]
    admin_url = db_url.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", admin_url, "-qc", f'DROP DATABASE IF EXISTS "{db_name}"'], check=True)
    subprocess.run(["psql", admin_url, "-qc", f'CREATE DATABASE "{db_name}"'], check=True)
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "ANCRAGE_PROFILE": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "ANCRAGE_VAR_DIR": str(work / "var"),
        "MEDIA_ROOT": str(work / "media"),
        "LOG_LEVEL": "WARNING",
    }
    cache = (
        "Redis (cache and sessions)" if redis_up() else "local memory (sessions in the database)"
    )
    if redis_up():
        env["REDIS_URL"] = "redis://127.0.0.1:6379/15"
    manage = [str(VENV / "python"), str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [*manage, "collectstatic", "--no-input", "-v", "0"], env=env, check=True, cwd=ROOT
    )
    setup = subprocess.run(
        [str(VENV / "python"), str(Path(__file__).with_name("setup_learner.py"))],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    learner = json.loads(setup.stdout.strip().splitlines()[-1])
    cookie = f"Cookie: {learner['cookie_name']}={learner['cookie']}"
    card_url = f"http://127.0.0.1:{APP_PORT}/play/{learner['code']}/cards/{learner['card']}"
    processes: list[subprocess.Popen[bytes]] = []
    try:
        server = subprocess.Popen(
            [
                str(VENV / "ancrage"),
                "serve",
                f"--bind=127.0.0.1:{APP_PORT}",
                f"--workers={args.workers}",
                f"--threads={args.threads}",
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=open(work / "server.log", "wb"),
            start_new_session=True,
        )
        processes.append(server)
        body = wait_http(card_url, {"Cookie": cookie.split(": ", 1)[1]})
        assert json.loads(body)["card"]["key"] == learner["card"], body[:200]
        work.chmod(0o755)
        (work / "www").mkdir(mode=0o755)
        (work / "www" / "card.json").write_bytes(b"x" * len(body))
        (work / "nginx.conf").write_text(
            f"""worker_processes {args.workers}; daemon off; pid {work}/nginx.pid; error_log {work}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{ access_log {work}/nginx-access.log; sendfile on; tcp_nopush on; keepalive_requests 100000;
  types {{ application/json json; }}
  server {{ listen 127.0.0.1:{NGINX_PORT}; root {work}/www; }} }}
"""
        )
        nginx = subprocess.Popen(
            ["nginx", "-c", str(work / "nginx.conf"), "-p", str(work)], start_new_session=True
        )
        processes.append(nginx)
        static_url = f"http://127.0.0.1:{NGINX_PORT}/card.json"
        wait_http(static_url)
        load = {"seconds": args.seconds, "connections": args.connections, "threads": 2}
        wrk(card_url, header=cookie, **{**load, "seconds": 3})  # warm up both
        wrk(static_url, **{**load, "seconds": 3})
        ours, theirs = [], []
        for _ in range(args.rounds):
            theirs.append(wrk(static_url, **load))
            ours.append(wrk(card_url, header=cookie, **load))
        idle = wrk(card_url, header=cookie, seconds=args.seconds, connections=1, threads=1)
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=10)
    load_after = uptime()

    def median(rows: list[dict[str, float]], key: str) -> float:
        return statistics.median(row[key] for row in rows)

    ratio = median(ours, "rps") / median(theirs, "rps")
    print(
        f"card endpoint GET {card_url.split(str(APP_PORT))[1]} ({len(body)} bytes), "
        f"{cache}, PostgreSQL"
    )
    print(
        f"server: ancrage serve (Granian {granian.__version__}, WSGI) {args.workers} workers × "
        f"{args.threads} threads; nginx: {args.workers} worker processes; "
        f"{os.cpu_count()} cores"
    )
    print(
        f"wrk: 2 threads, {args.connections} connections, {args.seconds} s × {args.rounds} "
        f"rounds each, alternating; unloaded: 1 connection, {args.seconds} s"
    )
    print(f"load before: {load_before}")
    print(f"load after:  {load_after}")
    print(f"{'':24}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
    for name, rows in (("nginx static (same size)", theirs), ("card endpoint", ours)):
        print(
            f"{name:24}{median(rows, 'rps'):>10.0f}{median(rows, 'p50'):>10.2f}{median(rows, 'p99'):>10.2f}"
        )
    print(
        f"{'card endpoint, 1 conn':24}{idle['rps']:>10.0f}{idle['p50']:>10.2f}{idle['p99']:>10.2f}"
    )
    print(
        f"rounds: nginx {[round(r['rps']) for r in theirs]}, card {[round(r['rps']) for r in ours]}"
    )
    print(
        f"ratio card/nginx: {ratio:.2%} (budget ≥ 5 %) — {'OK' if ratio >= 0.05 else 'OVER BUDGET'}"
    )
    print(
        f"unloaded p99: {idle['p99']:.2f} ms (budget < 5 ms) — {'OK' if idle['p99'] < 5 else 'OVER BUDGET'}"
    )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
