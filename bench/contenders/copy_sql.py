"""Importing the benchmark's spreadsheet as a team would with PostgreSQL alone: ``COPY`` of
the CSV into a staging table of text, then ``INSERT … SELECT`` into typed tables of persons
and transfers, every cell checked in SQL and each problem listed by row, column and value.

It is a lower bound, not the same work: its tables have no history, no audit trail, no names'
search keys and no re-screen, and it knows only the benchmark's columns. Country names and
codes are looked up in a table of pycountry's alpha-2, alpha-3 and names, exactly (the
project also takes close spellings); a date's shape is checked, not its day of the calendar.
"""

from __future__ import annotations

from pathlib import Path

import psycopg
import pycountry

SCHEMA = "import_contender"

_TABLES = f"""
DROP SCHEMA IF EXISTS {SCHEMA} CASCADE;
CREATE SCHEMA {SCHEMA};
CREATE TABLE {SCHEMA}.country_name (name text PRIMARY KEY, code char(2) NOT NULL);
CREATE TABLE {SCHEMA}.staging (
    row_number bigint GENERATED ALWAYS AS IDENTITY, person text, name text, born text,
    citizenship text, fit text, "case" text, destination text, scheme text, planned text);
CREATE TABLE {SCHEMA}.problem (row_number bigint, "column" text, value text, problem text);
CREATE TABLE {SCHEMA}.person (id bigserial PRIMARY KEY, ref text UNIQUE NOT NULL,
    names text[] NOT NULL, birth_date date, nationality char(2), fit_to_travel boolean);
CREATE TABLE {SCHEMA}.transfer (id bigserial PRIMARY KEY, ref text UNIQUE NOT NULL,
    person_id bigint NOT NULL REFERENCES {SCHEMA}.person, destination char(2) NOT NULL,
    arrangement text NOT NULL, planned_date date NOT NULL);
"""

_CHECKS = f"""
INSERT INTO {SCHEMA}.problem
SELECT row_number, 'Born', born, 'is not a date (YYYY-MM-DD)' FROM {SCHEMA}.staging
 WHERE born <> '' AND born !~ '^\\d{{4}}-\\d{{2}}-\\d{{2}}$'
UNION ALL
SELECT s.row_number, 'Citizenship', s.citizenship, 'matches no country'
  FROM {SCHEMA}.staging s LEFT JOIN {SCHEMA}.country_name c ON c.name = lower(s.citizenship)
 WHERE s.citizenship <> '' AND c.code IS NULL
UNION ALL
SELECT s.row_number, 'To', s.destination, 'matches no country'
  FROM {SCHEMA}.staging s LEFT JOIN {SCHEMA}.country_name c ON c.name = lower(s.destination)
 WHERE c.code IS NULL
UNION ALL
SELECT row_number, 'Fit', fit, 'is not yes or no' FROM {SCHEMA}.staging
 WHERE fit <> '' AND upper(fit) NOT IN ('Y', 'YES', '1', 'N', 'NO', '0')
UNION ALL
SELECT row_number, 'Planned', planned, 'is not a date (YYYY-MM-DD)' FROM {SCHEMA}.staging
 WHERE planned !~ '^\\d{{4}}-\\d{{2}}-\\d{{2}}$';
"""

_WRITE = f"""
INSERT INTO {SCHEMA}.person (ref, names, birth_date, nationality, fit_to_travel)
SELECT s.person, string_to_array(s.name, '|'), nullif(s.born, '')::date, c.code,
       CASE WHEN s.fit = '' THEN NULL ELSE upper(s.fit) IN ('Y', 'YES', '1') END
  FROM {SCHEMA}.staging s LEFT JOIN {SCHEMA}.country_name c ON c.name = lower(s.citizenship)
ON CONFLICT (ref) DO UPDATE SET names = excluded.names, birth_date = excluded.birth_date,
    nationality = excluded.nationality, fit_to_travel = excluded.fit_to_travel
 WHERE ({SCHEMA}.person.names, {SCHEMA}.person.birth_date, {SCHEMA}.person.nationality,
        {SCHEMA}.person.fit_to_travel)
       IS DISTINCT FROM (excluded.names, excluded.birth_date, excluded.nationality,
                         excluded.fit_to_travel);
INSERT INTO {SCHEMA}.transfer (ref, person_id, destination, arrangement, planned_date)
SELECT s."case", p.id, c.code, s.scheme, s.planned::date
  FROM {SCHEMA}.staging s JOIN {SCHEMA}.person p ON p.ref = s.person
  JOIN {SCHEMA}.country_name c ON c.name = lower(s.destination)
ON CONFLICT (ref) DO NOTHING;
"""


def _country_names() -> list[tuple[str, str]]:
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for name in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
            value = getattr(country, name, None)
            if value:
                names.setdefault(str(value).lower(), country.alpha_2)
    return sorted(names.items())


def prepare(url: str) -> None:
    """Create the contender's tables (emptied) and its table of country names."""
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(_TABLES)
        with connection.cursor().copy(f"COPY {SCHEMA}.country_name FROM STDIN") as copy:
            for row in _country_names():
                copy.write_row(row)


def import_csv(url: str, path: Path) -> int:
    """Stage, check and write the CSV in one transaction; returns the problems found (when
    there are any, nothing is written)."""
    with psycopg.connect(url) as connection:
        connection.execute(f"TRUNCATE {SCHEMA}.staging, {SCHEMA}.problem")
        columns = 'person, name, born, citizenship, fit, "case", destination, scheme, planned'
        with (
            connection.cursor().copy(
                f"COPY {SCHEMA}.staging ({columns}) FROM STDIN WITH (FORMAT csv, HEADER true)"
            ) as copy,
            path.open("rb") as data,
        ):
            while block := data.read(1 << 20):
                copy.write(block)
        connection.execute(_CHECKS)
        row = connection.execute(f"SELECT count(*) FROM {SCHEMA}.problem").fetchone()
        problems = int(row[0]) if row else 0
        if not problems:
            connection.execute(_WRITE)
        connection.commit()
    return problems
