"""One API request at a time, in one process: the server time of a verdict read and of a
screening of one transfer, without a load generator's queue in front of them.

    .venv/bin/python bench/api_one.py --database NAME             # a database api_load.py built
    .venv/bin/python bench/api_one.py --database NAME --requests 100 --profile

Drives Django's test client against a PostgreSQL database that ``bench/api_load.py``
populated (``--database``), with a superuser's API token, on proposed transfers drawn at
random. For ``GET …/verdict`` and ``POST …/screen`` it prints the median and fastest wall
time and CPU time of the process (every thread) per request, the CPU time of the database
server's process serving it (read from ``/proc``: the server runs on this machine), and the
queries per request;
``--profile`` adds the functions that took the most CPU time over the screenings. Each
``POST`` is a real screening run with its writes (run row, audit entry, a new screening
when the findings changed). Last, the same transfers are screened again through the service
alone (``cases.services.screen_transfer``, what the endpoint calls): one screening with its
writes, without the request around it. The machine's load average is printed before and after.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time

SERVER = "postgresql://postgres@127.0.0.1:5432"


def backend_cpu(pid: int) -> float:
    """Seconds of CPU the database server's process ``pid`` has used (user and system)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timings(walls: list[float], cpus: list[float], database: list[float]) -> str:
    """Wall and CPU time (median and fastest) and the database's CPU time (mean: it is
    counted in clock ticks of 10 ms, which only their mean over many calls tells), in ms."""
    return (
        f"wall median {statistics.median(walls):.1f} ms (fastest {min(walls):.1f}), "
        f"CPU median {statistics.median(cpus):.1f} ms (fastest {min(cpus):.1f}), "
        f"database CPU mean {statistics.mean(database):.1f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="a database api_load.py populated")
    parser.add_argument("--requests", type=int, default=40, help="requests of each kind")
    parser.add_argument("--profile", action="store_true", help="profile the screenings")
    args = parser.parse_args(argv)
    if args.requests < 1:
        parser.error("--requests must be at least 1")
    os.environ["THIRDCOUNTRY_DATABASE_URL"] = f"{SERVER}/{args.database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thirdcountry.settings")
    os.environ.setdefault("THIRDCOUNTRY_SECRET_KEY", "bench-only-not-secret")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from thirdcountry.accounts.tokens import create_token
    from thirdcountry.cases.models import Transfer
    from thirdcountry.cases.services import screen_transfer

    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    user = User.objects.filter(username="bench").first()
    if user is None:
        user = User.objects.create_superuser("bench", password=None)
    token = create_token(user, "bench one request")[1]
    refs = list(
        Transfer.objects.filter(status="proposed")
        .order_by("?")
        .values_list("ref", flat=True)[: args.requests + 1]
    )
    if len(refs) < 2:
        print("the database holds no proposed transfers: run bench/api_load.py first")
        return 1
    client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {token}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (backend,) = cursor.fetchone()
    for method, suffix in (("get", "/verdict"), ("post", "/screen")):
        send = getattr(client, method)
        send(f"/api/v1/transfers/{refs[-1]}{suffix}")  # the first request loads code
        profile = cProfile.Profile(time.process_time) if args.profile and method == "post" else None
        walls, cpus, database, queries = [], [], [], []
        for ref in refs[:-1]:
            with CaptureQueriesContext(connection) as captured:
                served = backend_cpu(backend)
                wall, cpu = time.perf_counter(), time.process_time()
                if profile is not None:
                    profile.enable()
                response = send(f"/api/v1/transfers/{ref}{suffix}")
                if profile is not None:
                    profile.disable()
                walls.append((time.perf_counter() - wall) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
                database.append((backend_cpu(backend) - served) * 1000)
            if response.status_code != 200:
                print(f"{method.upper()} {ref}{suffix}: {response.status_code}")
                return 1
            queries.append(len(captured.captured_queries))
        print(
            f"{method.upper()} …{suffix}: {timings(walls, cpus, database)}, "
            f"queries {statistics.median(queries):.0f}, {len(walls)} requests"
        )
        if profile is not None:
            pstats.Stats(profile, stream=sys.stdout).sort_stats("cumulative").print_stats(
                "thirdcountry", 40
            )
    # The screening with its writes alone (the service the endpoint calls), without the
    # request's handling or the capture of its queries.
    walls, cpus, database = [], [], []
    for ref in refs[:-1]:
        served = backend_cpu(backend)
        wall, cpu = time.perf_counter(), time.process_time()
        screen_transfer(ref, user=user)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        database.append((backend_cpu(backend) - served) * 1000)
    print(
        f"screen_transfer (the service alone): {timings(walls, cpus, database)}, "
        f"{len(walls)} screenings"
    )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
