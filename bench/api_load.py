"""REST API under load: a production server (gunicorn, 2 workers) on PostgreSQL with a
generated population, driven over loopback by wrk at 16 connections.

    .venv/bin/python bench/api_load.py                      # 110,000 transfers, 100,000 persons
    .venv/bin/python bench/api_load.py --duration 20 --connections 16
    .venv/bin/python bench/api_load.py --transfers 1000000 --persons 900000 --database NAME

It (re)creates the database ``thirdcountry_bench`` (or ``--database``) on the local
PostgreSQL server (unless it already holds a population of that size: ``--fresh`` forces a
new one), writes the generated world with the bulk path (``COPY``), screens every proposed
transfer once, then measures:

- ``GET /api/v1/transfers/{ref}/verdict``: the latest stored verdict (target p99 <= 50 ms);
- ``POST /api/v1/transfers/{ref}/screen``: screening one transfer now (target p99 <= 200 ms);

each for ``--duration`` seconds, with refs drawn at random from the proposed transfers,
after ``--warmup`` seconds of the same load that are not measured: a worker's first
requests load the rules, compile one transfer's reads and prepare the database's
statements, which a server that has been up has done (``--warmup 0`` measures a cold one).
Needs ``wrk`` (Debian: ``apt-get install wrk``) and gunicorn (in the ``dev`` extra).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

console = Console(stderr=True)

DATABASE = "thirdcountry_bench"
SERVER = "postgresql://postgres@127.0.0.1:5432"
BIN = Path(sys.executable).parent

#: Prints requests/s and the latency percentiles as one JSON line when wrk finishes.
LUA = r"""
local refs = {}
local method = os.getenv("BENCH_METHOD")
local suffix = os.getenv("BENCH_SUFFIX")
local token = os.getenv("BENCH_TOKEN")

function init(args)
  for line in io.lines(os.getenv("BENCH_REFS")) do refs[#refs + 1] = line end
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

function request()
  local ref = refs[math.random(#refs)]
  return wrk.format(method, "/api/v1/transfers/" .. ref .. suffix,
                    {["Authorization"] = "Bearer " .. token})
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1000000
  local codes = {}
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "rps": %.1f, "errors": %d, "non_2xx": %d, ' ..
    '"p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f}\n',
    summary.requests, seconds, summary.requests / seconds,
    summary.errors.connect + summary.errors.read + summary.errors.write +
      summary.errors.timeout,
    summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def run(*args: str, env: dict[str, str] | None = None, capture: bool = False) -> str:
    done = subprocess.run(list(args), env=env, check=True, text=True, capture_output=capture)
    return done.stdout if capture else ""


def psql(sql: str, database: str = "postgres") -> str:
    return run(
        "psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-tAc", sql, capture=True
    ).strip()


def django_env(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "THIRDCOUNTRY_DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "thirdcountry.settings",
        "THIRDCOUNTRY_SECRET_KEY": "bench-only-not-secret",
    }


def populate(url: str, database: str, transfers: int, persons: int, fresh: bool) -> None:
    """Create and fill the bench database, unless it already holds this population."""
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}'") == "1"
    if exists and not fresh:
        try:
            held = psql("SELECT count(*) FROM cases_transfer", database)
            if held == str(transfers):
                console.print(f"reusing {database}: {held} transfers already written")
                run(str(BIN / "thirdcountry"), "migrate", "-v", "0", env=django_env(url))
                return
        except subprocess.CalledProcessError:
            pass
    if exists:
        psql(f"DROP DATABASE {database} WITH (FORCE)")
    psql(f"CREATE DATABASE {database}")
    env = django_env(url)
    clock = time.perf_counter()
    run(str(BIN / "thirdcountry"), "migrate", "-v", "0", env=env)
    console.print(f"migrated in {time.perf_counter() - clock:.1f} s")
    script = f"""
import time, django
django.setup()
from thirdcountry.scenario.synthetic import generate_world
from thirdcountry.records.bulk_write import write_population
from thirdcountry.cases.services import screen_stored
clock = time.perf_counter()
world = generate_world({transfers}, persons={persons}, seed=1)
print(f"generated in {{time.perf_counter() - clock:.1f}} s", flush=True)
clock = time.perf_counter()
write_population(world)
print(f"written (bulk COPY) in {{time.perf_counter() - clock:.1f}} s", flush=True)
clock = time.perf_counter()
stored = screen_stored()
print(f"screened and stored {{stored.stored}} verdicts in {{time.perf_counter() - clock:.1f}} s")
"""
    console.print(run(sys.executable, "-c", script, env=env, capture=True).strip())


def prepare(url: str, workdir: Path) -> tuple[str, Path]:
    """A superuser's token, and a file of the proposed transfers' refs."""
    script = """
import django
django.setup()
from django.contrib.auth.models import User
from thirdcountry.accounts.tokens import create_token
from thirdcountry.cases.models import Transfer
user = User.objects.filter(username="bench").first()
if user is None:
    user = User.objects.create_superuser("bench", password=None)
print(create_token(user, "bench")[1])
for ref in Transfer.objects.filter(status="proposed").values_list("ref", flat=True):
    print(ref)
"""
    lines = run(sys.executable, "-c", script, env=django_env(url), capture=True).split()
    token, refs = lines[0], lines[1:]
    random.Random(0).shuffle(refs)
    path = workdir / "refs.txt"
    path.write_text("\n".join(refs) + "\n")
    return token, path


def serve(url: str, port: int, workdir: Path) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "-" if os.environ.get("BENCH_ACCESS_LOG") else str(os.devnull),
            "thirdcountry.wsgi",
        ],
        env=django_env(url),
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=(workdir / "gunicorn.log").open("w"),
    )
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=2)
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not start: see gunicorn.log")


def load(
    port: int, token: str, refs: Path, method: str, suffix: str, args: argparse.Namespace
) -> dict[str, Any]:
    """``method`` on ``/api/v1/transfers/{ref}{suffix}`` for ``args.duration`` seconds at
    ``args.connections`` connections, after ``args.warmup`` seconds not measured."""
    if args.warmup > 0:
        warm = argparse.Namespace(**{**vars(args), "duration": args.warmup, "warmup": 0})
        load(port, token, refs, method, suffix, warm)
    script = refs.parent / "bench.lua"
    script.write_text(LUA)
    env = {
        **os.environ,
        "BENCH_METHOD": method,
        "BENCH_SUFFIX": suffix,
        "BENCH_TOKEN": token,
        "BENCH_REFS": str(refs),
    }
    out = run(
        "wrk",
        "--threads",
        "2",
        "--connections",
        str(args.connections),
        "--duration",
        f"{args.duration}s",
        "--timeout",
        "10s",
        "--script",
        str(script),
        f"http://127.0.0.1:{port}",
        env=env,
        capture=True,
    )
    line = next(line for line in out.splitlines() if line.startswith("{"))
    return dict(json.loads(line))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transfers", type=int, default=110_000)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=20, help="seconds per endpoint")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--warmup", type=int, default=5, help="seconds of load before each measured run"
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--fresh", action="store_true", help="regenerate the population")
    parser.add_argument("--database", default=DATABASE, help="the PostgreSQL database to use")
    args = parser.parse_args(argv)
    if args.warmup < 0 or args.duration < 1:
        parser.error("--duration must be at least 1 and --warmup at least 0")
    if shutil.which("wrk") is None:
        console.print("wrk is missing: apt-get install wrk")
        return 1
    url = f"{SERVER}/{args.database}"
    populate(url, args.database, args.transfers, args.persons, args.fresh)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        token, refs = prepare(url, workdir)
        server = serve(url, args.port, workdir)
        try:
            results = {
                "GET /api/v1/transfers/{ref}/verdict": (
                    load(args.port, token, refs, "GET", "/verdict", args),
                    50.0,
                ),
                "POST /api/v1/transfers/{ref}/screen": (
                    load(args.port, token, refs, "POST", "/screen", args),
                    200.0,
                ),
            }
        finally:
            server.terminate()
            server.wait(timeout=30)
    table = Table(
        title=(
            f"gunicorn (2 workers) on PostgreSQL, {args.transfers:,} transfers, "
            f"{args.persons:,} persons; wrk, {args.connections} connections, "
            f"{args.duration} s each after {args.warmup} s not measured"
        )
    )
    for column in ("operation", "requests/s", "p50 ms", "p95 ms", "p99 ms", "errors", "target"):
        table.add_column(column, justify="left" if column == "operation" else "right")
    met = True
    for operation, (result, target) in results.items():
        # wrk's percentiles of a run of a second or so can come out as 0: not a measurement.
        measured = 0 < result["p50_ms"] <= result["p95_ms"] <= result["p99_ms"]
        ok = measured and result["p99_ms"] <= target
        ok = ok and not result["errors"] and not result["non_2xx"]
        met = met and ok
        table.add_row(
            operation,
            f"{result['rps']:,.0f}",
            f"{result['p50_ms']:.1f}",
            f"{result['p95_ms']:.1f}",
            f"{result['p99_ms']:.1f}",
            str(result["errors"] + result["non_2xx"]),
            f"p99 <= {target:.0f} ms "
            + ("met" if ok else "MISSED" if measured else "not measured (too short)"),
        )
    Console().print(table)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
