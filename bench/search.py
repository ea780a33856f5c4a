"""People search at national scale: the people list's search and a person's page on
PostgreSQL, the full scan it replaced, and the SQLite fallback.

    .venv/bin/python bench/search.py                  # the database bench/rescreen.py fills
    .venv/bin/python bench/search.py --url postgresql://postgres@127.0.0.1:5432/NAME \\
        --searches 200 --pages 200 --baseline 4 --sqlite-names 1000000
    .venv/bin/python bench/search.py --sqlite-names 0 # without the SQLite fallback

The database must hold a population (``thirdcountry generate``) and be migrated (migration
``cases.0005`` adds the folded names, their sound keys and the trigram indexes). The script
signs a superuser (``bench-search``, created if missing) into Django's test client and
times, through the whole request path (middleware, views, templates):

- ``--searches`` requests ``GET /people/?q=…`` for queries drawn from the stored names at
  random: a whole name, one of its words, a misspelling of it (one letter dropped, doubled,
  swapped or changed), or a person's ref;
- ``--pages`` requests ``GET /people/<ref>/`` for persons drawn at random;

and reports p50/p95/p99 (target: p95 <= 300 ms). As a baseline in the same run it times the
search as it was, every stored name scored in Python, for ``--baseline`` of the queries, next
to the indexed search for the same queries, and compares what they find. Then it copies
``--sqlite-names`` of the names into a fresh SQLite database and times the fallback scan
there (and the old scan, which folded every name at query time).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

URL = "postgresql://postgres@127.0.0.1:5432/thirdcountry_bench_rescreen"
TARGET_MS = 300.0
console = Console(width=150)

#: Runs in a process of its own on SQLite: fills it from a dump, then times the searches.
SQLITE_SCRIPT = r"""
import json, sys, time
import django
django.setup()
from django.db import transaction
from thirdcountry.cases import models as cases
from thirdcountry.cases.search import find_persons
from thirdcountry.records.bulk_write import write_rows
sys.path.insert(0, sys.argv[3])
from search import old_best_matches

dump, queries = sys.argv[1], json.loads(sys.argv[2])
rows = [line.rstrip("\n").split("\t") for line in open(dump, encoding="utf-8")]
facts = [
    False if not cases.Person._meta.get_field(c).null else None
    for c in cases.PERSON_FACT_COLUMNS
]
with transaction.atomic():
    people = {int(r[0]): r[1] for r in rows}
    write_rows(cases.Person, ["id", "ref", *cases.PERSON_FACT_COLUMNS],
               ((pid, ref, *facts) for pid, ref in people.items()))
    write_rows(cases.PersonName, ["person_id", "seq", "name", *cases.PersonName.DERIVED],
               ((int(p), int(s), n, f, k) for p, _, s, n, f, k in rows))
out = {"names": len(rows), "fallback": [], "old": []}
for query in queries:
    started = time.perf_counter()
    found = find_persons(query)
    out["fallback"].append([time.perf_counter() - started, len(found)])
    started = time.perf_counter()
    old = old_best_matches(
        query, cases.PersonName.objects.values_list("person_id", "name").iterator(chunk_size=20_000)
    )
    out["old"].append([time.perf_counter() - started, len(old)])
print(json.dumps(out))
"""


def old_best_matches(query: str, names: Any) -> list[Any]:
    """The scoring as it was before the search columns: every name folded at query time,
    each of its forms scored (no form shared between names scored once). The baseline."""
    from rapidfuzz import process
    from rapidfuzz.distance import JaroWinkler

    from thirdcountry.names import THRESHOLD, Match, name_forms

    queries = name_forms(query)
    best: dict[int, Match] = {}
    if not queries:
        return []

    def score(batch: list[tuple[int, str]]) -> None:
        forms: list[str] = []
        owners: list[tuple[int, str]] = []
        for person_id, name in batch:
            for form in name_forms(name):
                forms.append(form)
                owners.append((person_id, name))
        for q in queries:
            for _form, value, index in process.extract_iter(
                q, forms, scorer=JaroWinkler.normalized_similarity, score_cutoff=THRESHOLD / 100
            ):
                person_id, name = owners[index]
                found = best.get(person_id)
                if found is None or value * 100 > found.score:
                    best[person_id] = Match(person_id, name, value * 100)

    batch: list[tuple[int, str]] = []
    for pair in names:
        batch.append(pair)
        if len(batch) == 50_000:
            score(batch)
            batch = []
    score(batch)
    return sorted(best.values(), key=lambda m: (-m.score, m.person_id))


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (``share`` in 0-100) of ``values``."""
    ordered = sorted(values)
    rank = max(1, round(share / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def misspelt(word: str, rng: random.Random) -> str:
    """``word`` with one slip: a letter dropped, doubled, swapped with the next, or changed."""
    if len(word) < 4:
        return word + word[-1]
    i = rng.randrange(1, len(word) - 1)
    slip = rng.choice(("drop", "double", "swap", "change"))
    if slip == "drop":
        return word[:i] + word[i + 1 :]
    if slip == "double":
        return word[:i] + word[i] + word[i:]
    if slip == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    vowels = "aeiou"
    other = rng.choice([v for v in vowels if v != word[i]]) if word[i] in vowels else "e"
    return word[:i] + other + word[i + 1 :]


def draw_queries(count: int, rng: random.Random) -> list[tuple[str, str]]:
    """``count`` (kind, query) pairs drawn from the stored names and refs."""
    from thirdcountry.cases.models import Person, PersonName
    from thirdcountry.names import normalise

    bounds = Person.objects.order_by("id").values_list("id", flat=True)
    low, high = bounds.first(), bounds.last()
    ids = [rng.randint(low, high) for _ in range(count * 2)]
    names: dict[int, list[str]] = {}
    for person_id, name in PersonName.objects.filter(person_id__in=ids).values_list(
        "person_id", "name"
    ):
        names.setdefault(person_id, []).append(name)
    refs = dict(Person.objects.filter(id__in=ids).values_list("id", "ref"))
    kinds = ["whole name"] * 6 + ["one word"] * 5 + ["misspelt"] * 6 + ["ref"] * 3
    queries = []
    for person_id in [i for i in dict.fromkeys(ids) if i in names][:count]:
        kind = rng.choice(kinds)
        name = rng.choice(names[person_id])
        words = [w for w in normalise(name).split() if len(w) >= 3] or [normalise(name)]
        if kind == "whole name":
            queries.append((kind, name))
        elif kind == "one word":
            queries.append((kind, rng.choice(words).title()))
        elif kind == "misspelt":
            word = max(words, key=len)
            queries.append((kind, normalise(name).replace(word, misspelt(word, rng), 1)))
        else:
            queries.append((kind, refs[person_id]))
    return queries


def timed_get(client: Any, path: str, data: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    response = client.get(path, data or {})
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"GET {path} {data or ''}: HTTP {response.status_code}")
    return elapsed


def sqlite_fallback(names: int, queries: list[str]) -> dict[str, Any]:
    """Copy ``names`` stored names (with their persons) into a fresh SQLite database and time
    the fallback and the old scan there, in a process of its own."""
    from django.db import connection

    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "names.tsv"
        with connection.cursor() as cursor, dump.open("w", encoding="utf-8") as out:
            cursor.execute(
                "SELECT n.person_id, p.ref, n.seq, n.name, n.folded, n.sound_keys"
                " FROM cases_personname n JOIN cases_person p ON p.id = n.person_id"
                " WHERE n.id <= (SELECT id FROM cases_personname ORDER BY id"
                "  OFFSET %s LIMIT 1) ORDER BY n.id",
                [names - 1],
            )
            while rows := cursor.fetchmany(20_000):
                out.writelines("\t".join(map(str, row)) + "\n" for row in rows)
        env = {
            **os.environ,
            "THIRDCOUNTRY_DATABASE_URL": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "thirdcountry.settings",
        }
        run = [sys.executable, "-m", "thirdcountry"]
        subprocess.run([*run, "migrate", "-v0"], env=env, check=True)
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                SQLITE_SCRIPT,
                str(dump),
                json.dumps(queries),
                str(Path(__file__).parent),
            ],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def candidate_recall(queries: list[tuple[str, str]]) -> dict[str, tuple[int, int, list[str]]]:
    """By kind of query: how many stored names a full scan matches, how many of them the
    candidate conditions reach (before the cap), and a few of those they miss. Computed on
    the distinct folded names (a name's score depends on its folded form only)."""
    from django.db import connection, transaction

    from thirdcountry.cases.search import candidate_tiers
    from thirdcountry.names import MIN_WORD, name_forms, rank

    out: dict[str, tuple[int, int, list[str]]] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_vocabulary ON COMMIT DROP AS SELECT folded,"
            " sound_keys, count(*) AS names FROM cases_personname GROUP BY folded, sound_keys"
        )
        cursor.execute("SELECT folded, sound_keys, names FROM bench_vocabulary")
        vocabulary = cursor.fetchall()
        weight = {f: n for f, _, n in vocabulary}
        for kind, query in queries:
            if kind == "ref":
                continue
            matched = {
                m.name for m in rank(query, [(i, f, f) for i, (f, _, _) in enumerate(vocabulary)])
            }
            tiers = candidate_tiers([f for f in name_forms(query) if len(f) >= MIN_WORD])
            cursor.execute(
                "SELECT folded FROM bench_vocabulary WHERE "
                + " OR ".join(f"({t.same})" for t in tiers),
                [p for t in tiers for p in t.params],
            )
            reached = {f for (f,) in cursor.fetchall()}
            total, found, missed = out.get(kind, (0, 0, []))
            total += sum(weight[f] for f in matched)
            found += sum(weight[f] for f in matched & reached)
            missed += [f"{query} → {f}" for f in sorted(matched - reached)[:2]]
            out[kind] = (total, found, missed)
    return out


def latency_row(label: str, values: list[float]) -> tuple[str, ...]:
    p95 = percentile(values, 95)
    return (
        label,
        str(len(values)),
        f"{percentile(values, 50):.0f}",
        f"{p95:.0f}",
        f"{percentile(values, 99):.0f}",
        f"{max(values):.0f}",
        f"p95 <= {TARGET_MS:.0f} ms {'met' if p95 <= TARGET_MS else 'MISSED'}",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=URL, help="a migrated PostgreSQL database")
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--baseline", type=int, default=4, help="queries timed the old way")
    parser.add_argument("--sqlite-names", type=int, default=1_000_000, help="0: skip SQLite")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    os.environ["THIRDCOUNTRY_DATABASE_URL"] = args.url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thirdcountry.settings")

    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db.migrations.recorder import MigrationRecorder
    from django.test import Client

    from thirdcountry.cases.models import Person, PersonName
    from thirdcountry.cases.search import CANDIDATES
    from thirdcountry.web.selectors import person_search
    from thirdcountry.web.views.pages import PAGE_SIZE

    applied = MigrationRecorder.Migration.objects.filter(app="cases", name__startswith="0005")
    if not applied.exists():
        console.print("migrate the database first: thirdcountry migrate")
        return 1
    persons, names = Person.objects.count(), PersonName.objects.count()
    user = User.objects.filter(username="bench-search").first()
    if user is None:
        user = User.objects.create_superuser("bench-search", password=None)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    rng = random.Random(args.seed)
    queries = draw_queries(args.searches, rng)
    bounds = Person.objects.order_by("id").values_list("id", flat=True)
    low, high = bounds.first(), bounds.last()
    drawn = [rng.randint(low, high) for _ in range(args.pages * 2)]
    refs = list(Person.objects.filter(id__in=drawn).values_list("ref", flat=True))[: args.pages]
    for _kind, query in queries[:5]:  # warm up: templates, connection, the first plans
        timed_get(client, "/people/", {"q": query})

    searches: dict[str, list[float]] = {}
    slowest: list[tuple[float, str]] = []
    for kind, query in queries:
        elapsed = timed_get(client, "/people/", {"q": query})
        searches.setdefault(kind, []).append(elapsed)
        slowest = sorted([*slowest, (elapsed, f"{query!r} ({kind})")], reverse=True)[:3]
    pages = [timed_get(client, f"/people/{ref}/") for ref in refs]

    table = Table(title=f"Django test client on PostgreSQL: {persons:,} persons, {names:,} names")
    for column in ("request", "count", "p50 ms", "p95 ms", "p99 ms", "max ms", "target"):
        table.add_column(column, justify="left" if column in ("request", "target") else "right")
    for kind, values in searches.items():
        table.add_row(*latency_row(f"search: {kind}", values))
    table.add_row(*latency_row("search: all", [v for vs in searches.values() for v in vs]))
    table.add_row(*latency_row("person's page", pages))
    console.print(table)
    console.print("slowest searches: " + "; ".join(f"{q} {ms:.0f} ms" for ms, q in slowest))

    compared = [q for kind, q in queries if kind in ("whole name", "misspelt")][: args.baseline]
    baseline = Table(title="Indexed search against the full scan it replaced (same database)")
    for column in ("query", "full scan ms", "indexed ms", "speed-up", "full scan", "indexed"):
        baseline.add_column(column, justify="left" if column == "query" else "right")
    baseline.add_column("first page")
    for query in compared:
        started = time.perf_counter()
        by_ref = list(Person.objects.filter(ref__icontains=query).values_list("id", flat=True))
        old = old_best_matches(
            query, PersonName.objects.values_list("person_id", "name").iterator(chunk_size=20_000)
        )
        old_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        ids, _ = person_search(user, query)
        new_ms = (time.perf_counter() - started) * 1000
        old_ids = [*by_ref, *(m.person_id for m in old if m.person_id not in set(by_ref))]
        first = set(old_ids[:PAGE_SIZE])
        baseline.add_row(
            query,
            f"{old_ms:,.0f}",
            f"{new_ms:,.0f}",
            f"{old_ms / new_ms:,.0f}x",
            f"{len(old_ids):,}",
            f"{len(ids):,}",
            f"{len(first & set(ids[:PAGE_SIZE]))}/{len(first)} same, "
            f"{len(first & set(ids))}/{len(first)} found",
        )
    console.print(baseline)
    console.print(f"candidates per search at most {CANDIDATES:,}; pages of {PAGE_SIZE}")

    recall = Table(
        title="Stored names a full scan matches that the candidate conditions reach "
        "(before the cap)"
    )
    for column in ("queries", "names matched", "reached", "share", "some missed"):
        recall.add_column(
            column, justify="left" if column in ("queries", "some missed") else "right"
        )
    for kind, (total, found, missed) in candidate_recall(queries).items():
        recall.add_row(
            kind,
            f"{total:,}",
            f"{found:,}",
            f"{found / total:.1%}" if total else "-",
            "; ".join(missed[:3]),
        )
    console.print(recall)

    if args.sqlite_names:
        started = time.perf_counter()
        result = sqlite_fallback(min(args.sqlite_names, names), compared)
        fallback = Table(
            title=f"SQLite fallback, {result['names']:,} names "
            f"(copied and timed in {time.perf_counter() - started:.0f} s)"
        )
        for column in ("query", "fallback s", "s per million names", "old scan s", "found"):
            fallback.add_column(column, justify="left" if column == "query" else "right")
        for query, (seconds, found), (old_seconds, _) in zip(
            compared, result["fallback"], result["old"], strict=True
        ):
            fallback.add_row(
                query,
                f"{seconds:.2f}",
                f"{seconds / result['names'] * 1e6:.2f}",
                f"{old_seconds:.2f}",
                f"{found:,}",
            )
        console.print(fallback)
    return 0


if __name__ == "__main__":
    sys.exit(main())
