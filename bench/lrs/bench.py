"""LRS benchmark: Ancrage vs raw PostgreSQL INSERT/COPY vs Ralph, same machine, one run.

    .venv/bin/python bench/lrs/bench.py [--seconds 10] [--clients 8] [--fill 1000000]
        [--rounds 1] [--warmup 5] [--reuse-db] [--reads-only]
        [--ralph-python /tmp/ralph-venv/bin/python]

Needs a local PostgreSQL (trust auth on 127.0.0.1:5432); creates and drops the database
`ancrage_bench_lrs` (`--reuse-db` keeps it and its statements, applying new migrations).
Ralph runs from its own virtualenv (pip install "ralph-malph[lrs,backend-fs]==5.1.0" requests
click-option-group) through ralph_launcher.py; skip it with --ralph-python "". Every figure
includes validation and authentication for the two LRSs, and Ancrage's rate limits: the
middleware's, and the key's own requests-per-minute limit (set high, counted, never reached).
Each server gets `--warmup` unmeasured single statements first. `--rounds N` runs
the ingest phases N times and prints medians (and each round), which a shared machine's
drifting load needs.

Targets (issue 6): single POST ≥ 20× Ralph and ≥ 10 % of raw INSERT; batches of 100 ≥ 2×
Ralph and ≥ 15 % of COPY; every GET p95 < 20 ms at 1 M statements. On a shared, loaded 2-core
machine (2026-11-26, `--seconds 5 --fill 1200000 --rounds 3`): single 688/s = 26.9 % of raw
INSERT and 40× Ralph (17/s; Ralph gave 10–82/s through the day, with the load: 20× is not
assured on a quiet machine); batches 7,162/s = 46.7 % of COPY and 6.8× Ralph; GET p95
4–11 ms, related_activities 4.1 ms; related_agents (then the GIN index) 160 ms, 6.1 ms
with `StatementAgent` (a later `--reuse-db` run, 1.6 M statements). See README.md.
"""

import argparse
import base64
import http.client
import importlib
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
sys.path.insert(0, str(ROOT))
BACKFILL = importlib.import_module("ancrage.lrs.migrations.0005_backfill_statement_activities")
AGENT_BACKFILL = importlib.import_module("ancrage.lrs.migrations.0008_backfill_statement_agents")
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
    if reuse:  # new migrations still apply (a backfill over the kept statements included)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True
        )
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
    """A new key of the bench organisation, made by the action itself (the command wants a
    person as its author). Its requests per minute are counted, as in production, but the
    limit is never reached."""
    out = subprocess.run(
        [sys.executable, "-c", ISSUE_CREDENTIAL.format(slug="bench", limit=1_000_000)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    values = dict(line.split("=", 1) for line in out.split())
    return values["key"], values["secret"]


ISSUE_CREDENTIAL = (
    "import django; django.setup()\n"
    "from ancrage.lrs.actions import issue_credential\n"
    "from ancrage.tenancy.models import Organisation\n"
    "issued = issue_credential(organisation=Organisation.objects.get(slug={slug!r}), "
    "label='bench', scopes=['all'], rate_limit_per_minute={limit})\n"
    "print(f'key={{issued.credential.key}}')\n"
    "print(f'secret={{issued.secret}}')\n"
)


def start_ancrage(port: int, workers: int) -> subprocess.Popen:
    env = os.environ | {
        "DATABASE_URL": DB_URL,
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "DB_CONN_MAX_AGE": "600",
    }
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/ancrage"),
            "serve",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--threads=4",
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


def fill(org: str, total: int, after_seq: int) -> None:
    """Bring the table to `total` statements spread over the last 6 months (COPY), and give
    every row stored since `after_seq` by COPY or raw INSERT its `StatementActivity` and
    `StatementAgent` rows (the backfills of migrations 0005 and 0008), as Ancrage's ingest
    does for its own."""
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
        conn.execute(BACKFILL.POSTGRES_BACKFILL, [after_seq])
        conn.execute(AGENT_BACKFILL.POSTGRES_BACKFILL, [after_seq])
        conn.commit()
    # What autovacuum does shortly after a bulk load in production: merge the GIN pending
    # lists and set the visibility map. Measuring reads before it measures the backfill.
    with psycopg.connect(DB_URL, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE lrs_statement")
        conn.execute("VACUUM ANALYZE lrs_statementactivity")
        conn.execute("VACUUM ANALYZE lrs_statementagent")


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


def ingest(args: argparse.Namespace, token: str, org: str) -> None:
    """Ancrage, raw PostgreSQL and Ralph, one after the other, `--rounds` times (a shared
    machine's load drifts: each figure is the median of its rounds); print the ratios."""
    runs: dict[str, list[float]] = {}
    errors = [0, 0]

    def measure(name: str, rate: float) -> None:
        runs.setdefault(name, []).append(rate)

    def warm(port: int, path: str, token: str) -> None:
        """A few unmeasured single statements first: a fresh server's first requests pay its
        lazy set-up (Ralph's validation models…), which would count against it. Only a few:
        Ralph's fs backend rewrites a history file that grows with every request it serves
        (nine tenths of its time), so each request also slows the ones after it."""
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {
            "Authorization": f"Basic {token}",
            "X-Experience-API-Version": "1.0.3",
            "Content-Type": "application/json",
        }
        rng = random.Random(99)
        for _ in range(args.warmup):
            conn.request("POST", path, json.dumps(statement(rng)), headers)
            conn.getresponse().read()
        conn.close()

    for _ in range(args.rounds):
        server = start_ancrage(8201, args.workers)
        try:
            warm(8201, "/xapi/statements", token)
            for index, batch in enumerate((1, 100)):
                rate, failed = http_load(
                    8201, "/xapi/statements", token, batch, args.clients, args.seconds
                )
                measure("ancrage single" if batch == 1 else "ancrage batch100", rate)
                errors[index] += failed
        finally:
            server.terminate()
            server.wait()
        measure("raw INSERT", raw_insert(org, args.clients, args.seconds))
        measure("raw COPY100", raw_copy(org, args.clients, args.seconds))
        if args.ralph_python:
            # A new, empty store each round: Ralph's fs backend reads it all on every POST.
            data_dir = tempfile.mkdtemp(prefix="ralph-bench-")
            ralph, ralph_token = start_ralph(args.ralph_python, 8202, data_dir)
            try:
                warm(8202, "/xAPI/statements", ralph_token)
                for name, batch in (("ralph single", 1), ("ralph batch100", 100)):
                    rate, _ = http_load(
                        8202, "/xAPI/statements", ralph_token, batch, args.clients, args.seconds
                    )
                    measure(name, rate)
            finally:
                ralph.terminate()
                ralph.wait()
                shutil.rmtree(data_dir, ignore_errors=True)
    results = {name: statistics.median(rates) for name, rates in runs.items()}
    e1, e2 = errors
    rounds = f", median of {args.rounds} rounds" if args.rounds > 1 else ""

    print(
        f"\nIngest, statements/s ({args.clients} concurrent clients, {args.seconds:.0f} s each"
        f"{rounds}, errors: {e1}/{e2})"
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
    if args.rounds > 1:
        for name, rates in runs.items():
            print(f"  {name:16} rounds: {' '.join(f'{rate:.0f}' for rate in rates)}")


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
    parser.add_argument("--rounds", type=int, default=1, help="ingest rounds (medians)")
    parser.add_argument("--warmup", type=int, default=5, help="unmeasured requests per server")
    parser.add_argument("--reads-only", action="store_true", help="skip the ingest figures")
    args = parser.parse_args()

    key, secret = setup_ancrage(args.reuse_db)
    token = base64.b64encode(f"{key}:{secret}".encode()).decode()
    with psycopg.connect(DB_URL) as conn:
        org = str(
            conn.execute("SELECT id FROM tenancy_organisation WHERE slug='bench'").fetchone()[0]
        )
        start_seq = conn.execute("SELECT coalesce(max(seq), 0) FROM lrs_statement").fetchone()[0]
    if not args.reads_only:
        ingest(args, token, org)
    fill(org, args.fill, start_seq)
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
        "related_agents": {
            "agent": lambda i: json.dumps({"mbox": f"mailto:learner{i * 13 % 5000}@example.com"}),
            "related_agents": "true",
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
