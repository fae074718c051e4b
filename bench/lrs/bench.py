"""LRS benchmark: Ancrage vs raw PostgreSQL INSERT/COPY vs Ralph, same machine, one run.

    .venv/bin/python bench/lrs/bench.py [--seconds 10] [--clients 8] [--fill 1000000]
        [--ralph-python /tmp/ralph-venv/bin/python]

Needs a local PostgreSQL (trust auth on 127.0.0.1:5432); creates and drops the database
`ancrage_bench_lrs`. Ralph runs from its own virtualenv (pip install "ralph-malph[lrs,
backend-fs]==5.1.0" requests click-option-group) through ralph_launcher.py; skip it with
--ralph-python "". Every figure includes validation and authentication for the two LRSs.
"""

import argparse
import base64
import http.client
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import psycopg

ROOT = Path(__file__).resolve().parents[2]
PG = "postgres://postgres@127.0.0.1:5432"
DB = "ancrage_bench_lrs"
DB_URL = f"{PG}/{DB}"
VERBS = [f"http://adlnet.gov/expapi/verbs/v{i}" for i in range(50)]


def statement(rng: random.Random) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "actor": {
            "objectType": "Agent",
            "mbox": f"mailto:learner{rng.randrange(5000)}@example.com",
        },
        "verb": {"id": rng.choice(VERBS), "display": {"en-US": "did"}},
        "object": {
            "id": f"https://ancrage.example.com/activities/{rng.randrange(2000)}",
            "definition": {"name": {"en-US": "card"}},
        },
        "result": {"score": {"scaled": 0.8}, "completion": True, "duration": "PT2M"},
        "context": {"registration": str(uuid.UUID(int=rng.randrange(20000)))},
    }


# --- servers ---------------------------------------------------------------------------


def wait_http(port: int, path: str) -> None:
    for _ in range(200):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"server on {port} did not start")


def setup_ancrage(reuse: bool) -> tuple[str, str]:
    env = os.environ | {"DATABASE_URL": DB_URL, "DJANGO_SETTINGS_MODULE": "config.settings"}
    if reuse:
        return _credential(env)
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE IF EXISTS {DB}"],
        check=True,
    )
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {DB}"], check=True
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    # monthly partitions for the six months of back-filled statements
    subprocess.run(
        [sys.executable, "manage.py", "lrs_partitions", "--months-back", "7"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from ancrage.tenancy.models import Organisation;"
            "Organisation.objects.create(slug='bench', name='Bench')",
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return _credential(env)


def _credential(env: dict[str, str]) -> tuple[str, str]:
    out = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "lrs_credential",
            "create",
            "--organisation",
            "bench",
            "--rate-limit",
            "0",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    values = dict(line.split("=", 1) for line in out.split())
    return values["key"], values["secret"]


def start_ancrage(port: int, workers: int) -> subprocess.Popen:
    env = os.environ | {
        "DATABASE_URL": DB_URL,
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "DB_CONN_MAX_AGE": "600",
    }
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--threads=4",
            "--worker-class=gthread",
            "--keep-alive=75",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_http(port, "/xapi/about")
    return proc


def start_ralph(python: str, port: int, data_dir: str) -> tuple[subprocess.Popen, str]:
    auth = Path(data_dir) / "auth.json"
    hash_ = subprocess.run(
        [python, "-c", "import bcrypt; print(bcrypt.hashpw(b'secret', bcrypt.gensalt()).decode())"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    auth.write_text(
        json.dumps(
            [
                {
                    "username": "bench",
                    "hash": hash_,
                    "scopes": ["all"],
                    "agent": {"mbox": "mailto:bench@example.com"},
                }
            ]
        )
    )
    env = os.environ | {
        "RALPH_RUNSERVER_BACKEND": "fs",
        "RALPH_AUTH_FILE": str(auth),
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": data_dir,
    }
    proc = subprocess.Popen(
        [python, str(Path(__file__).with_name("ralph_launcher.py")), "127.0.0.1", str(port)],
        cwd=data_dir,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_http(port, "/whoami")
    return proc, base64.b64encode(b"bench:secret").decode()


# --- load ------------------------------------------------------------------------------


def http_load(
    port: int, path: str, token: str, batch: int, clients: int, seconds: float
) -> tuple[float, int]:
    """Statements stored per second (2xx only) with `clients` keep-alive clients."""
    deadline = time.monotonic() + seconds
    counts = [0] * clients
    errors = [0] * clients

    def worker(index: int) -> None:
        rng = random.Random(index)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {
            "Authorization": f"Basic {token}",
            "X-Experience-API-Version": "1.0.3",
            "Content-Type": "application/json",
        }
        while time.monotonic() < deadline:
            body = [statement(rng) for _ in range(batch)] if batch > 1 else statement(rng)
            conn.request("POST", path, json.dumps(body), headers)
            response = conn.getresponse()
            response.read()
            if response.status == 200:
                counts[index] += batch
            else:
                errors[index] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / (time.monotonic() - started), sum(errors)


COLUMNS = (
    "organisation_id",
    "statement_id",
    "stored",
    "timestamp",
    "verb_id",
    "activity_id",
    "actor_key",
    "object_agent_key",
    "registration",
    "related_agents",
    "related_activities",
    "voided",
    "payload",
)


def row(org: str, rng: random.Random, stored: datetime) -> tuple:
    s = statement(rng)
    s["stored"] = s["timestamp"] = stored.isoformat()
    return (
        org,
        s["id"],
        stored,
        stored,
        s["verb"]["id"],
        s["object"]["id"],
        f"Agent|mbox|{s['actor']['mbox']}",
        None,
        s["context"]["registration"],
        json.dumps([f"Agent|mbox|{s['actor']['mbox']}"]),
        json.dumps([s["object"]["id"]]),
        False,
        json.dumps(s),
    )


def raw_insert(org: str, clients: int, seconds: float) -> float:
    """Baseline: one statement row per INSERT, each its own committed transaction."""
    deadline = time.monotonic() + seconds
    counts = [0] * clients
    sql = f"INSERT INTO lrs_statement ({','.join(COLUMNS)}) VALUES ({','.join(['%s'] * len(COLUMNS))})"

    def worker(index: int) -> None:
        rng = random.Random(1000 + index)
        with psycopg.connect(DB_URL, autocommit=True) as conn:
            while time.monotonic() < deadline:
                conn.execute(sql, row(org, rng, datetime.now(UTC)))
                counts[index] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / (time.monotonic() - started)


def raw_copy(org: str, clients: int, seconds: float, batch: int = 100) -> float:
    """Baseline: COPY `batch` rows per committed transaction."""
    deadline = time.monotonic() + seconds
    counts = [0] * clients

    def worker(index: int) -> None:
        rng = random.Random(2000 + index)
        with psycopg.connect(DB_URL) as conn:
            while time.monotonic() < deadline:
                now = datetime.now(UTC)
                with (
                    conn.cursor() as cur,
                    cur.copy(f"COPY lrs_statement ({','.join(COLUMNS)}) FROM STDIN") as copy,
                ):
                    for _ in range(batch):
                        copy.write_row(row(org, rng, now))
                conn.commit()
                counts[index] += batch

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / (time.monotonic() - started)


def fill(org: str, total: int) -> None:
    """Bring the table to `total` statements spread over the last 6 months (COPY)."""
    with psycopg.connect(DB_URL) as conn:
        have = conn.execute("SELECT count(*) FROM lrs_statement").fetchone()[0]
        missing = total - have
        rng = random.Random(7)
        start = datetime.now(UTC) - timedelta(days=180)
        step = timedelta(days=180) / max(missing, 1)
        with (
            conn.cursor() as cur,
            cur.copy(f"COPY lrs_statement ({','.join(COLUMNS)}) FROM STDIN") as copy,
        ):
            for i in range(missing):
                copy.write_row(row(org, rng, start + step * i))
        conn.commit()
    # What autovacuum does shortly after a bulk load in production: merge the GIN pending
    # lists and set the visibility map. Measuring reads before it measures the backfill.
    with psycopg.connect(DB_URL, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE lrs_statement")


def latency(
    port: int, token: str, prefix: str, queries: dict[str, dict], samples: int
) -> dict[str, tuple[float, float]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3"}
    out = {}
    for name, params in queries.items():
        timings = []
        for i in range(samples):
            rendered = {k: (v(i) if callable(v) else v) for k, v in params.items()}
            started = time.perf_counter()
            conn.request("GET", f"{prefix}?{urlencode(rendered)}", headers=headers)
            response = conn.getresponse()
            response.read()
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status == 200, (name, response.status)
        timings.sort()
        out[name] = (statistics.median(timings), timings[int(len(timings) * 0.95) - 1])
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--fill", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--ralph-python", default="/tmp/ralph-venv/bin/python")
    parser.add_argument(
        "--reuse-db", action="store_true", help="keep ancrage_bench_lrs and its statements"
    )
    args = parser.parse_args()

    key, secret = setup_ancrage(args.reuse_db)
    token = base64.b64encode(f"{key}:{secret}".encode()).decode()
    with psycopg.connect(DB_URL) as conn:
        org = str(
            conn.execute("SELECT id FROM tenancy_organisation WHERE slug='bench'").fetchone()[0]
        )
    results: dict[str, float] = {}
    server = start_ancrage(8201, args.workers)
    try:
        results["ancrage single"], e1 = http_load(
            8201, "/xapi/statements", token, 1, args.clients, args.seconds
        )
        results["ancrage batch100"], e2 = http_load(
            8201, "/xapi/statements", token, 100, args.clients, args.seconds
        )
    finally:
        server.terminate()
        server.wait()
    results["raw INSERT"] = raw_insert(org, args.clients, args.seconds)
    results["raw COPY100"] = raw_copy(org, args.clients, args.seconds)
    if args.ralph_python:
        data_dir = tempfile.mkdtemp(prefix="ralph-bench-")
        ralph, ralph_token = start_ralph(args.ralph_python, 8202, data_dir)
        try:
            results["ralph single"], _ = http_load(
                8202, "/xAPI/statements", ralph_token, 1, args.clients, args.seconds
            )
            results["ralph batch100"], _ = http_load(
                8202, "/xAPI/statements", ralph_token, 100, args.clients, args.seconds
            )
        finally:
            ralph.terminate()
            ralph.wait()
            shutil.rmtree(data_dir, ignore_errors=True)

    print(
        f"\nIngest, statements/s ({args.clients} concurrent clients, {args.seconds:.0f} s each, errors: {e1}/{e2})"
    )
    print(f"{'':18}{'Ancrage':>10}{'Ralph':>10}{'raw PG':>10}{'vs Ralph':>10}{'vs raw':>9}")
    for label, ours, ralph, raw in (
        ("single POST", "ancrage single", "ralph single", "raw INSERT"),
        ("batch of 100", "ancrage batch100", "ralph batch100", "raw COPY100"),
    ):
        r = results.get(ralph, 0.0)
        print(
            f"{label:18}{results[ours]:>10.0f}{r:>10.0f}{results[raw]:>10.0f}"
            f"{(results[ours] / r if r else float('nan')):>9.1f}×{results[ours] / results[raw] * 100:>8.1f}%"
        )

    fill(org, args.fill)
    with psycopg.connect(DB_URL) as conn:
        total = conn.execute("SELECT count(*) FROM lrs_statement").fetchone()[0]
    rng = random.Random(3)
    queries = {
        "latest page (limit 20)": {"limit": 20},
        "agent": {
            "agent": lambda i: json.dumps(
                {"mbox": f"mailto:learner{rng.randrange(5000)}@example.com"}
            ),
            "limit": 20,
        },
        "verb": {"verb": lambda i: random.Random(i).choice(VERBS), "limit": 20},
        "activity": {
            "activity": lambda i: f"https://ancrage.example.com/activities/{i % 2000}",
            "limit": 20,
        },
        "registration": {"registration": lambda i: str(uuid.UUID(int=i * 7 % 20000)), "limit": 20},
        "agent + since 30 days": {
            "agent": lambda i: json.dumps({"mbox": f"mailto:learner{i % 5000}@example.com"}),
            "since": (datetime.now(UTC) - timedelta(days=30)).isoformat(),
            "limit": 20,
        },
        "related_activities": {
            "activity": lambda i: f"https://ancrage.example.com/activities/{i % 2000}",
            "related_activities": "true",
            "limit": 20,
        },
    }
    server = start_ancrage(8201, args.workers)
    try:
        lat = latency(8201, token, "/xapi/statements", queries, args.samples)
    finally:
        server.terminate()
        server.wait()
    print(f"\nGET latency at {total:,} statements ({args.samples} requests each, one client), ms")
    print(f"{'query':26}{'p50':>8}{'p95':>8}")
    for name, (p50, p95) in lat.items():
        print(f"{name:26}{p50:>8.1f}{p95:>8.1f}")


if __name__ == "__main__":
    main()
