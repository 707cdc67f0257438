"""`make bench`: the product measured at two sizes against its budgets, printed as one table.

1. Pages: the application runs under gunicorn with the production settings on loopback, once
   on a database of 100 pairings and once on `tests.bench.load`'s (50,000 pairings, 1,000,000
   meetings). Each main page is asked for by its user; the server's own time and query count
   come from a Server-Timing header, and each page's time is divided by a floor page (the
   layout around one query) measured in the same run. The plans of the dashboard's queries on
   the large data are printed. The administration site's changelists and change forms are
   measured the same way, asked for by a superuser and by a coordinator.
2. Matching: `suggest_pairs` for 5,000 mentees and 2,000 mentors.
3. Reminder fan-out: 100,000 due pairings' reminders planned and sent by two Celery worker
   processes through Redis into a mail server on loopback, against a plain loop sending the
   same emails to the same server; the workers' peak memory; every email received once.

The databases are made once and kept (named after DATABASE_URL's, with _bench_small,
_bench_large and _bench_fanout); they are made again when the generator or the migrations
change. Options: --pairings, --fanout, --requests, --only pages|matching|fanout.
"""

import argparse
import hashlib
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from http.client import HTTPConnection
from pathlib import Path

import psycopg2
from celery import Celery

from tests.bench import traffic

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
BIN = Path(sys.executable).parent
SMALL_PAIRINGS = 100
ADMIN_BUDGET = 10.0  # an administration page's time at most this many times the floor's
MATCHING_BUDGET = 10.0  # seconds
FANOUT_BUDGET = 0.5  # at least this share of the floor's emails per second
WORKER_BUDGET_MB = 300
WAIT_SECONDS = 1800
WORKER_LOG = Path(tempfile.gettempdir()) / "mentorship-bench-workers.log"


def log(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


@dataclass
class Row:
    measure: str
    small: str
    large: str
    target: str
    passed: bool | None


# Databases


def database_url(suffix: str) -> str:
    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    return url._replace(path=f"{url.path}_bench_{suffix}").geturl()


def admin_connection():
    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    connection = psycopg2.connect(
        host=url.hostname,
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password,
        dbname="postgres",
    )
    connection.autocommit = True
    return connection


def fingerprint(*sources: str) -> str:
    """What the data depends on: the generators and the migrations."""
    digest = hashlib.sha256()
    for source in sources:
        digest.update((ROOT / source).read_bytes())
    for migration in sorted(ROOT.glob("*/migrations/0*.py")):
        digest.update(migration.name.encode())
    return "bench:" + digest.hexdigest()[:16]


def prepared(url: str, mark: str, fill: list[list[str]]) -> None:
    """Make the database of `url` with the `fill` commands, unless it was made by the same
    generators and migrations."""
    name = urllib.parse.urlsplit(url).path.lstrip("/")
    with closing(admin_connection()) as admin, admin.cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        )
        found = cursor.fetchone()
        if found and found[0] == mark:
            log(f"{name}: kept from an earlier run")
            return
        log(f"{name}: making it")
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    manage(url, "migrate", "--noinput", "-v0")
    for command in fill:
        started = time.perf_counter()
        run(url, command)
        log(f"{name}: {' '.join(command[-3:])} took {time.perf_counter() - started:.0f} s")
    with closing(admin_connection()) as admin, admin.cursor() as cursor:
        cursor.execute(f"COMMENT ON DATABASE \"{name}\" IS '{mark}'")


# Processes


def environment(url: str, **extra) -> dict:
    """The production settings, behind a TLS proxy on loopback; the figures are counted on
    every request (FIGURES_SECONDS=0), as on a coordinator's first visit, so the dashboard and
    the report are measured counting, never read from the cache."""
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "SECURE_PROXY_SSL_HEADER_ENABLED": "true",
        "DATABASE_URL": url,
        "LOG_LEVEL": "WARNING",
        "FIGURES_SECONDS": "0",
        "PYTHONPATH": str(ROOT),
        **extra,
    }


def run(url: str, command: list[str], **extra) -> str:
    done = subprocess.run(
        [PYTHON, *command],
        cwd=ROOT,
        env=environment(url, **extra),
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return done.stdout


def manage(url: str, *command: str) -> str:
    return run(url, ["manage.py", *command])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} stopped with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing answers on port {port}")


def stop(process: subprocess.Popen) -> str:
    process.send_signal(signal.SIGTERM)
    out, _ = process.communicate(timeout=60)
    return out or ""


# Pages


def server_timing(header: str) -> tuple[float, int]:
    """(milliseconds, queries) from `app;dur=12.3, db;dur=4.5;desc="19 queries"`."""
    parts = {item.split(";")[0].strip(): item for item in header.split(",") if ";" in item}
    milliseconds = float(parts["app"].split("dur=")[1].split(";")[0])
    queries = int(parts["db"].split('desc="')[1].split()[0])
    return milliseconds, queries


def ask(connection: HTTPConnection, page: dict) -> tuple[float, int]:
    """One request as the page's user: (server milliseconds, queries)."""
    headers = {
        "Host": "127.0.0.1",
        "X-Forwarded-Proto": "https",
        "Cookie": f"sessionid={page['session']}",
    }
    connection.request("GET", page["url"], headers=headers)
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        raise RuntimeError(f"{page['name']} ({page['url']}) answered {response.status}")
    return server_timing(response.getheader("Server-Timing"))


def warm_up(port: int, page: dict) -> None:
    """Asks for the page `warm_up` times (if it says so), two at once: the server's two
    processes each serve one, where requests one after another can meet the same process
    every time, until the other's first visit reads what a process reads once."""

    def once(_):
        with closing(HTTPConnection("127.0.0.1", port, timeout=120)) as connection:
            ask(connection, page)

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(once, range(page.get("warm_up", 0))))


def measure_page(port: int, page: dict, floor: dict, requests: int) -> dict:
    """The page and the floor asked in turn, `requests` times each after warming up, so both
    meet the same machine: their median server times and the page's queries."""
    connection = HTTPConnection("127.0.0.1", port, timeout=120)
    times, floor_times, queries = [], [], set()
    warm_up(port, page)
    for number in range(requests + 3):
        milliseconds, count = ask(connection, page)
        floor_milliseconds, _ = ask(connection, floor)
        if number >= 3:
            times.append(milliseconds)
            floor_times.append(floor_milliseconds)
            queries.add(count)
    connection.close()
    if len(queries) != 1:
        raise RuntimeError(f"{page['name']} ran different numbers of queries: {queries}")
    return {
        "ms": statistics.median(times),
        "queries": queries.pop(),
        "floor_ms": statistics.median(floor_times),
    }


def measure_pages(
    url: str, requests: int, explain: bool, *options: str, people: int = 0
) -> tuple[dict, list]:
    """Each page `tests.bench.prepare` names (with `options`) alone against the floor; with
    `people`, then the traffic of that many different mentees (`tests.bench.traffic`), under
    `results["traffic"]`."""
    asked = [*(["--explain"] if explain else []), *options]
    found = json.loads(
        run(
            url,
            ["-m", "tests.bench.prepare", *asked, *(["--traffic", str(people)] if people else [])],
        )
    )
    port = free_port()
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "mentorship.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=environment(url, DJANGO_SETTINGS_MODULE="tests.bench.settings"),
    )
    try:
        wait_for_port(port, server)
        floor, *pages = found["pages"]
        results = {
            page["name"]: {
                **measure_page(port, page, floor, requests),
                "budget": page.get("budget"),
            }
            for page in pages
        }
        results["floor"] = {
            "ms": statistics.median(r["floor_ms"] for r in results.values()),
            "queries": measure_page(port, floor, floor, 1)["queries"],
        }
        if people:
            log(f"traffic: {people:,} different mentees")
            results["traffic"] = traffic.run(port, found["traffic"], server_timing)
    finally:
        stop(server)
    return results, found.get("explain", [])


def page_rows(small: dict, large: dict) -> list[Row]:
    rows = [
        Row(
            "floor page (layout + 1 query)",
            f"{small['floor']['ms']:.1f} ms, {small['floor']['queries']} q",
            f"{large['floor']['ms']:.1f} ms, {large['floor']['queries']} q",
            "",
            None,
        )
    ]
    for name in small:
        if name in ("floor", "traffic"):
            continue
        at_small, at_large = small[name], large[name]
        ratio_small = at_small["ms"] / at_small["floor_ms"]
        ratio_large = at_large["ms"] / at_large["floor_ms"]
        same = at_small["queries"] == at_large["queries"]
        rows.append(
            Row(
                name,
                f"{at_small['ms']:.1f} ms ({ratio_small:.1f}x), {at_small['queries']} q",
                f"{at_large['ms']:.1f} ms ({ratio_large:.1f}x), {at_large['queries']} q",
                f"same queries; large <= {at_large['budget']}x floor",
                same and ratio_large <= at_large["budget"],
            )
        )
    return rows


def traffic_rows(large: dict) -> list[Row]:
    """The traffic of many different mentees, each page against the floor of the same mix."""
    found = large["traffic"]
    pages = found["pages"]
    logged = pages.get("meeting logged", {}).get("requests", 0)
    rows = [
        Row(
            f"traffic: {found['people']:,} different mentees, {found['requests']:,} requests",
            "",
            f"{found['per_second']:.0f} req/s, {len(found['errors'])} errors, "
            f"{logged} meetings logged",
            "no errors",
            not found["errors"],
        )
    ]
    floor = pages["floor"]["ms"]
    for name in ("participant home", "pairing page", "events list", "meeting logged"):
        page = pages[name]
        budget = large.get(name, {}).get("budget")
        queries = "-".join(str(n) for n in (page["queries"][0], page["queries"][-1]))
        rows.append(
            Row(
                f"traffic: {name}",
                "",
                f"{page['ms']:.1f} ms ({page['ms'] / floor:.1f}x), p95 {page['p95']:.1f} ms, "
                f"{queries} q",
                f"<= {budget}x floor of the mix" if budget else "",
                page["ms"] / floor <= budget if budget else None,
            )
        )
    return rows


def admin_rows(small_url: str, large_url: str, requests: int) -> list[Row]:
    """The administration site's changelists and change forms at both sizes, each against the
    floor: the same queries, and the large one within ADMIN_BUDGET of the floor."""
    log("administration pages: small data")
    small, _ = measure_pages(small_url, requests, False, "--admin")
    log("administration pages: large data")
    large, _ = measure_pages(large_url, requests, False, "--admin")
    rows = []
    for name in small:
        if name == "floor":
            continue
        at_small, at_large = small[name], large[name]
        ratio_small = at_small["ms"] / at_small["floor_ms"]
        ratio_large = at_large["ms"] / at_large["floor_ms"]
        rows.append(
            Row(
                name,
                f"{at_small['ms']:.1f} ms ({ratio_small:.1f}x), {at_small['queries']} q",
                f"{at_large['ms']:.1f} ms ({ratio_large:.1f}x), {at_large['queries']} q",
                f"same queries; large <= {ADMIN_BUDGET:.0f}x floor",
                at_small["queries"] == at_large["queries"] and ratio_large <= ADMIN_BUDGET,
            )
        )
    return rows


def print_plans(plans: list) -> None:
    print("\nThe dashboard's queries on the large data (EXPLAIN ANALYZE):")
    for number, query in enumerate(plans, 1):
        sql = " ".join(query["sql"].split())
        print(f"\n-- {number}. {sql[:300]}{' ...' if len(sql) > 300 else ''}")
        for line in query["plan"]:
            print(f"   {line}")


# Matching


def matching_rows(url: str) -> list[Row]:
    result = json.loads(run(url, ["-m", "tests.bench.matching"]))
    return [
        Row(
            f"matching {result['mentees']:,} mentees x {result['mentors']:,} mentors",
            "",
            f"{result['seconds']:.1f} s, {result['peak_mb']:.0f} MB",
            f"< {MATCHING_BUDGET:.0f} s",
            result["seconds"] < MATCHING_BUDGET,
        ),
        Row(
            "matching total score (pairs)",
            f"greedy {result['greedy_total']:,.1f} ({result['greedy_pairs']:,})",
            f"{result['total']:,.1f} ({result['pairs']:,})",
            ">= greedy",
            (result["pairs"], result["total"]) >= (result["greedy_pairs"], result["greedy_total"]),
        ),
    ]


# Reminder fan-out


def peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def ledger_states(url: str) -> dict:
    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT state, count(*) FROM participants_notification GROUP BY state")
        return dict(cursor.fetchall())


def clear_ledger(url: str) -> None:
    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute("TRUNCATE participants_notification")


def start_sink() -> tuple[subprocess.Popen, int]:
    port = free_port()
    sink = subprocess.Popen(
        [PYTHON, "-m", "tests.bench.smtp_sink", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    sink.stdout.readline()  # "ready"
    return sink, port


def start_workers(url: str, redis_url: str, email_url: str) -> list[subprocess.Popen]:
    env = environment(url, REDIS_URL=redis_url, EMAIL_URL=email_url, REMINDER_HOUR="0")
    log = WORKER_LOG.open("w")  # their banners and warnings, read when something goes wrong
    workers = [
        subprocess.Popen(
            [
                str(BIN / "celery"),
                "-A",
                "mentorship",
                "worker",
                "--pool=solo",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=WARNING",
                f"--hostname=bench{number}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for number in (1, 2)
    ]
    app = Celery(broker=redis_url)
    for _ in range(120):
        if len(app.control.ping(timeout=0.5)) == len(workers):
            return workers
    raise RuntimeError(f"the Celery workers did not start: see {WORKER_LOG}")


def fanout_rows(url: str, emails: int) -> list[Row]:
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/9")
    app = Celery(broker=redis_url)
    app.control.purge()
    clear_ledger(url)
    sink, port = start_sink()
    workers = start_workers(url, redis_url, f"smtp://127.0.0.1:{port}")
    try:
        log(f"fan-out: planning and sending {emails:,} reminders")
        started = time.perf_counter()
        app.send_task("participants.notifications.tasks.plan_notifications")
        done = 0
        while done < emails:
            if time.perf_counter() - started > WAIT_SECONDS:
                raise RuntimeError(
                    f"fan-out: only {done:,} of {emails:,} sent in time: see {WORKER_LOG}"
                )
            time.sleep(0.5)
            states = ledger_states(url)
            done = sum(states.get(state, 0) for state in ("sent", "failed", "skipped"))
        seconds = time.perf_counter() - started
        peaks = [peak_memory_mb(worker.pid) for worker in workers]
    finally:
        for worker in workers:
            stop(worker)
        received = json.loads(stop(sink))
    sent = states.get("sent", 0)
    log(f"fan-out: {sent:,} sent in {seconds:.0f} s; the floor loop now sends them again")
    sink, port = start_sink()
    try:
        floor = json.loads(
            run(url, ["-m", "tests.bench.fanout", "floor"], EMAIL_URL=f"smtp://127.0.0.1:{port}")
        )
    finally:
        floor_received = json.loads(stop(sink))
    rate, floor_rate = sent / seconds, floor["emails"] / floor["seconds"]
    return [
        Row(
            f"reminder fan-out, {emails // 2:,} due pairings",
            "",
            f"{rate:,.0f} emails/s ({rate / floor_rate:.2f}x floor)",
            f">= {FANOUT_BUDGET}x the floor loop's {floor_rate:,.0f}/s",
            rate >= FANOUT_BUDGET * floor_rate,
        ),
        *(
            Row(
                f"fan-out worker {number} peak memory",
                "",
                f"{peak:.0f} MB",
                f"< {WORKER_BUDGET_MB} MB",
                peak < WORKER_BUDGET_MB,
            )
            for number, peak in enumerate(peaks, 1)
        ),
        Row(
            "fan-out emails: ledger sent / server got / distinct",
            "",
            f"{sent:,} / {received['messages']:,} / {received['distinct']:,}",
            f"each once (the floor loop's server got {floor_received['messages']:,})",
            sent == received["messages"] == received["distinct"] == emails,
        ),
    ]


# The table


def log_rows(rows: list[Row]) -> list[Row]:
    """Each result as soon as it is measured, so that a later failure loses none."""
    for row in rows:
        log(f"{row.measure}: {row.small} | {row.large} | {row.target}")
    return rows


def machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    with closing(admin_connection()) as admin, admin.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return (
        f"{model}, {os.cpu_count()} cores, {memory:.0f} GiB; Python {platform.python_version()}, "
        f"PostgreSQL {postgres.split()[0]}"
    )


def print_table(rows: list[Row], large_pairings: int) -> None:
    headers = Row(
        "measure", "small data", f"large data ({large_pairings:,} pairings)", "target", None
    )
    cells = [
        [
            row.measure,
            row.small,
            row.large,
            row.target,
            {True: "pass", False: "FAIL"}.get(row.passed, ""),
        ]
        for row in [headers, *rows]
    ]
    cells[0][4] = "result"
    widths = [max(len(line[column]) for line in cells) for column in range(5)]
    print()
    for number, line in enumerate(cells):
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        )
        if number == 0:
            print("  ".join("-" * width for width in widths))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairings", type=int, default=50_000)
    parser.add_argument("--fanout", type=int, default=100_000, help="due pairings")
    parser.add_argument("--requests", type=int, default=25, help="per page, after 3 to warm up")
    parser.add_argument("--people", type=int, default=300, help="different mentees' traffic")
    parser.add_argument("--only", choices=["pages", "matching", "fanout"])
    options = parser.parse_args()

    small, large, fanout = (database_url(name) for name in ("small", "large", "fanout"))
    rows, plans = [], []
    if options.only in (None, "pages", "matching"):
        generator = fingerprint("tests/bench/load.py")
        prepared(
            small,
            f"{generator}:{SMALL_PAIRINGS}",
            [["-m", "tests.bench.load", "--pairings", str(SMALL_PAIRINGS)]],
        )
    if options.only in (None, "pages"):
        prepared(
            large,
            f"{generator}:{options.pairings}",
            [["-m", "tests.bench.load", "--pairings", str(options.pairings)]],
        )
        log("collecting the static files, as a deployment does")
        manage(small, "collectstatic", "--noinput", "-v0")
        log("pages: small data")
        small_pages, _ = measure_pages(small, options.requests, explain=False)
        log("pages: large data")
        large_pages, plans = measure_pages(
            large, options.requests, explain=True, people=options.people
        )
        rows += log_rows(page_rows(small_pages, large_pages))
        rows += log_rows(traffic_rows(large_pages))
        rows += log_rows(admin_rows(small, large, options.requests))
    if options.only in (None, "matching"):
        log("matching")
        rows += log_rows(matching_rows(small))
    if options.only in (None, "fanout"):
        prepared(
            fanout,
            f"{fingerprint('tests/bench/fanout.py')}:{options.fanout}",
            [["-m", "tests.bench.fanout", "setup", str(options.fanout)]],
        )
        rows += log_rows(fanout_rows(fanout, 2 * options.fanout))

    if plans:
        print_plans(plans)
    print(f"\nMachine: {machine()}")
    print_table(rows, options.pairings)
    failed = [row.measure for row in rows if row.passed is False]
    print(f"\n{'FAIL: ' + ', '.join(failed) if failed else 'All targets met.'}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
