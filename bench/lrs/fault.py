"""Fault test: no statement lost or duplicated through a PostgreSQL restart and a killed worker.

    .venv/bin/python bench/lrs/fault.py [--statements 20000] [--replay 0.1] [--clients 6]

Starts a private PostgreSQL cluster (initdb in a temporary directory, port 55432, run as the
`postgres` system user) so restarting it disturbs no other database on the machine, migrates
Ancrage into it, serves the LRS with `ancrage serve`, and pushes the statements in batches of 10
from several clients; 10 % of the batches are replays of batches already acknowledged.
Clients retry every non-2xx (and every connection error) until they get a 2xx. During the
run PostgreSQL is restarted (fast shutdown) and a server worker is killed with SIGKILL: Granian's
main process must start a new worker within 30 s and still be running at the end.
At the end the database must hold exactly the acknowledged ids, each with its id key and its
activity key (`StatementActivity`): 0 lost, 0 duplicated, and no 409 may have been answered
(every replay carries identical content), and no 5xx other than 503 (an outage answers 503
with Retry-After, never 500).
"""

import argparse
import base64
import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).parent))
from bench import ISSUE_CREDENTIAL  # noqa: E402

PG_BIN = Path("/usr/lib/postgresql") / sorted(os.listdir("/usr/lib/postgresql"))[-1] / "bin"
PORT_PG, PORT_WEB = 55432, 8301
DB_URL = f"postgres://postgres@127.0.0.1:{PORT_PG}/lrs_fault"


def as_postgres(*cmd: str) -> None:
    subprocess.run(["runuser", "-u", "postgres", "--", *cmd], check=True, stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--statements", type=int, default=20_000)
    parser.add_argument("--replay", type=float, default=0.10)
    parser.add_argument("--clients", type=int, default=6)
    args = parser.parse_args()

    data = tempfile.mkdtemp(prefix="lrs-fault-pg-")
    shutil.chown(data, "postgres", "postgres")
    as_postgres(str(PG_BIN / "initdb"), "-D", data, "-A", "trust", "-U", "postgres")
    pg_ctl = [
        str(PG_BIN / "pg_ctl"),
        "-D",
        data,
        "-o",
        f"-p {PORT_PG} -k /tmp -c listen_addresses=127.0.0.1",
        "-l",
        f"{data}/log",
    ]
    as_postgres(*pg_ctl, "-w", "start")
    web = None
    try:
        subprocess.run(
            [
                str(PG_BIN / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(PORT_PG),
                "-U",
                "postgres",
                "lrs_fault",
            ],
            check=True,
        )
        env = os.environ | {
            "DATABASE_URL": DB_URL,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "CRITICAL",
            "DB_CONN_MAX_AGE": "600",
        }
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True
        )
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import django; django.setup(); from ancrage.tenancy.models import "
                "Organisation; Organisation.objects.create(slug='fault', name='Fault')",
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )
        out = subprocess.run(
            # made by the action itself (the lrs_credential command wants a person as author)
            [sys.executable, "-c", ISSUE_CREDENTIAL.format(slug="fault", limit=0)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        creds = dict(line.split("=", 1) for line in out.split())
        token = base64.b64encode(f"{creds['key']}:{creds['secret']}".encode()).decode()
        web = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/ancrage"),
                "serve",
                f"--bind=127.0.0.1:{PORT_WEB}",
                "--workers=2",
                "--threads=4",
            ],
            cwd=ROOT,
            env=env | {"LOG_LEVEL": "ERROR"},
            stdout=subprocess.DEVNULL,
            stderr=open(Path(tempfile.gettempdir()) / "lrs-fault-web.log", "w"),
        )
        time.sleep(3)

        rng = random.Random(11)
        statements = [
            {
                "id": str(uuid.uuid4()),
                "actor": {"mbox": f"mailto:l{rng.randrange(500)}@example.com"},
                "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
                "object": {"id": f"https://ancrage.example.com/a/{rng.randrange(200)}"},
            }
            for _ in range(args.statements)
        ]
        batches = [statements[i : i + 10] for i in range(0, len(statements), 10)]
        queue = list(range(len(batches)))
        lock = threading.Lock()
        acked: set[str] = set()
        acked_batches: list[int] = []
        other_statuses: dict[int, int] = {}
        stats = {"requests": 0, "replays": 0, "503": 0, "conn_errors": 0, "409": 0, "other": 0}

        def send(batch: list[dict]) -> bool:
            """True once acknowledged; False if the server's main process has exited (no
            retry can succeed then: the run ends and fails instead of retrying forever)."""
            delay = 0.05
            conn = None
            while True:
                try:
                    conn = conn or http.client.HTTPConnection("127.0.0.1", PORT_WEB, timeout=30)
                    conn.request(
                        "POST",
                        "/xapi/statements",
                        json.dumps(batch),
                        {
                            "Authorization": f"Basic {token}",
                            "X-Experience-API-Version": "2.0.0",
                            "Content-Type": "application/json",
                        },
                    )
                    response = conn.getresponse()
                    response.read()
                    with lock:
                        stats["requests"] += 1
                    if response.status == 200:
                        return True
                    key = (
                        "503"
                        if response.status == 503
                        else "409"
                        if response.status == 409
                        else "other"
                    )
                    with lock:
                        stats[key] += 1
                        if key == "other":
                            other_statuses[response.status] = (
                                other_statuses.get(response.status, 0) + 1
                            )
                    if response.status == 409:
                        return True
                except (OSError, http.client.HTTPException):
                    with lock:
                        stats["conn_errors"] += 1
                    conn = None
                    if web.poll() is not None:
                        return False
                time.sleep(delay)
                delay = min(delay * 2, 1.0)

        def client(seed: int) -> None:
            crng = random.Random(seed)
            while True:
                with lock:
                    replay = acked_batches and crng.random() < args.replay
                    if replay:
                        index = crng.choice(acked_batches)
                        stats["replays"] += 1
                    elif queue:
                        index = queue.pop()
                    else:
                        return
                if not send(batches[index]):
                    return
                with lock:
                    acked.update(s["id"] for s in batches[index])
                    acked_batches.append(index)

        def faults() -> None:
            while len(acked) < args.statements * 0.3 and web.poll() is None:
                time.sleep(0.1)
            print(f"… restarting PostgreSQL at {len(acked)} acknowledged", flush=True)
            as_postgres(*pg_ctl, "-m", "fast", "-w", "restart")
            while len(acked) < args.statements * 0.6 and web.poll() is None:
                time.sleep(0.1)
            if web.poll() is not None:
                return
            # `ancrage serve` is Granian's main process; its children are the worker processes
            # (forked), and it starts a new one when a worker dies.
            pids = workers()
            print(f"… killing server worker {pids[0]} at {len(acked)} acknowledged", flush=True)
            os.kill(pids[0], signal.SIGKILL)
            killed = time.monotonic()
            while time.monotonic() - killed < 30:
                now = workers()
                if len(now) == len(pids) and pids[0] not in now:
                    respawn["seconds"] = time.monotonic() - killed
                    respawn["pid"] = (set(now) - set(pids)).pop()
                    break
                time.sleep(0.05)

        def workers() -> list[int]:
            out = subprocess.run(["pgrep", "-P", str(web.pid)], capture_output=True, text=True)
            return [int(pid) for pid in out.stdout.split()]

        respawn: dict[str, float] = {}

        started = time.monotonic()
        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        fault_thread = threading.Thread(target=faults)
        fault_thread.start()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        fault_thread.join()
        elapsed = time.monotonic() - started

        check = subprocess.run(
            [
                str(PG_BIN / "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(PORT_PG),
                "-U",
                "postgres",
                "-d",
                "lrs_fault",
                "-Atc",
                "SELECT count(*), count(DISTINCT statement_id) FROM lrs_statement; "
                "SELECT count(*) FROM lrs_statementkey; "
                "SELECT count(*) FROM lrs_statementactivity;",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        rows, distinct = (int(x) for x in check[0].split("|"))
        keys = int(check[1])
        related = int(check[2])  # each statement here relates exactly one activity
        stored_ids = set(
            subprocess.run(
                [
                    str(PG_BIN / "psql"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(PORT_PG),
                    "-U",
                    "postgres",
                    "-d",
                    "lrs_fault",
                    "-Atc",
                    "SELECT statement_id FROM lrs_statement",
                ],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.split()
        )
        lost = len(acked - stored_ids)
        duplicated = rows - distinct
        print(
            f"statements {args.statements}, acknowledged {len(acked)}, requests {stats['requests']}, "
            f"replayed batches {stats['replays']}, {elapsed:.1f} s"
        )
        print(
            f"faults seen by clients: 503 {stats['503']}, connection errors {stats['conn_errors']}, "
            f"other non-2xx {stats['other']} {other_statuses}"
        )
        print(f"rows {rows}, distinct ids {distinct}, id keys {keys}, activity keys {related}")
        server_alive = web.poll() is None
        print(
            "killed worker replaced: "
            + (
                f"new worker PID {respawn['pid']:.0f} after {respawn['seconds']:.1f} s"
                if respawn
                else "no (within 30 s)"
            )
            + f"; server main process {'still running' if server_alive else 'exited'}"
        )
        server_errors = sum(n for status, n in other_statuses.items() if status >= 500)
        print(
            f"RESULT lost={lost} duplicated={duplicated} wrong_409={stats['409']} 5xx_not_503={server_errors}"
        )
        ok = lost == 0 and duplicated == 0 and stats["409"] == 0 and server_errors == 0
        ok = ok and bool(respawn) and server_alive
        sys.exit(0 if ok and rows == args.statements == keys == related else 1)
    finally:
        if web is not None:
            web.terminate()
            web.wait()
        as_postgres(*pg_ctl, "-m", "immediate", "stop")
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
