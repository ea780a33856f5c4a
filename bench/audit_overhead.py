"""What the audit trail costs: loading and screening a world with and without its hooks.

Run against a migrated database (``THIRDCOUNTRY_DATABASE_URL``, SQLite or PostgreSQL):

    .venv/bin/python bench/audit_overhead.py [--transfers 2000] [--repeat 3]

Each trial runs in a transaction that is rolled back, so the database is left as it was.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path
from typing import Any


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transfers", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thirdcountry.settings")
    import django

    django.setup()
    from django.db import connection, transaction

    from thirdcountry.cases.services import screen_stored
    from thirdcountry.oversight import audit
    from thirdcountry.oversight.models import AuditEntry
    from thirdcountry.records.load import load_scenario_records
    from thirdcountry.scenario import loads_scenario
    from thirdcountry.scenario.synthetic import generate_world

    seed = Path(__file__).resolve().parent.parent / "tests" / "data" / "seed-world.json"
    worlds: dict[str, Any] = {
        "seed world": loads_scenario(seed.read_bytes()),
        f"generated world ({args.transfers} transfers)": generate_world(args.transfers, seed=1),
    }

    class Rollback(Exception):
        pass

    def trial(world: Any, audited: bool) -> tuple[float, float, int, float | None]:
        (audit.connect if audited else audit.disconnect)()
        verify_seconds = None
        try:
            with transaction.atomic():
                before = AuditEntry.objects.count()
                start = time.perf_counter()
                load_scenario_records(world)
                loaded = time.perf_counter()
                screen_stored()
                screened = time.perf_counter()
                entries = AuditEntry.objects.count() - before
                if audited:
                    clock = time.perf_counter()
                    result = audit.verify(save=False)
                    verify_seconds = time.perf_counter() - clock
                    assert result.ok, [str(p) for p in result.problems[:5]]
                raise Rollback
        except Rollback:
            pass
        finally:
            audit.connect()
        return loaded - start, screened - loaded, entries, verify_seconds

    print(f"database: {connection.vendor}; median of {args.repeat} trials")
    print(f"{'world':40} {'hooks':6} {'load s':>8} {'screen s':>9} {'entries':>8} {'verify s':>9}")
    for name, world in worlds.items():
        medians = {}
        for audited in (False, True):
            runs = [trial(world, audited) for _ in range(args.repeat)]
            load = statistics.median(r[0] for r in runs)
            screen = statistics.median(r[1] for r in runs)
            verify = runs[-1][3]
            medians[audited] = (load, screen)
            print(
                f"{name:40} {'on' if audited else 'off':6} {load:8.3f} {screen:9.3f} "
                f"{runs[-1][2]:8d} {'' if verify is None else f'{verify:9.3f}'}"
            )
        off, on = medians[False], medians[True]
        print(
            f"{'':40} {'cost':6} {100 * (on[0] - off[0]) / off[0]:+7.0f}% "
            f"{100 * (on[1] - off[1]) / off[1]:+8.0f}%"
        )


if __name__ == "__main__":
    main()
