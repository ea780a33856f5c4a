"""Catalog 2026.1 in DuckDB SQL.

:func:`load` reads the scenario file with DuckDB's JSON reader into tables (persons and
transfers through ``json_transform``, because a key left out and a key set to ``null`` read
alike otherwise, and "no removal decision" is not "removal decision unknown"); :func:`screen`
runs one query over them giving, per proposed transfer in file order, each rule's
``{outcome, code}`` and the verdict, fetched as a Polars frame. Nothing is validated: the
file is taken to be a valid ``thirdcountry/scenario@1`` document.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from contenders.languages import iso639_3
from contenders.loop import RULES

#: The top-level keys the rules read, as DuckDB types. Persons and transfers are read as
#: JSON, then transformed, so that whether a key is present can be asked.
DOCUMENT_COLUMNS = {
    "as_of": "DATE",
    "parameters": "STRUCT(notice_days BIGINT, minor_age BIGINT)",
    "countries": "STRUCT(code VARCHAR, "
    "assessments STRUCT(date DATE, onward_refoulement_risk BOOLEAN)[])[]",
    "arrangements": "STRUCT(ref VARCHAR, cap BIGINT, "
    "terms STRUCT(requires_served_sentence BOOLEAN, excluded_nationalities VARCHAR[], "
    "notice_days BIGINT), commitments VARCHAR[], "
    "status_history STRUCT(date DATE, status VARCHAR)[])[]",
    "court_orders": "STRUCT(ref VARCHAR, issued DATE, lifted DATE, "
    "scope STRUCT(person VARCHAR, arrangement VARCHAR, sending VARCHAR, destination VARCHAR))[]",
    "persons": "JSON[]",
    "transfers": "JSON[]",
}

PERSON = """{
    "ref": "VARCHAR", "birth_date": "DATE", "nationalities": ["VARCHAR"],
    "languages": ["VARCHAR"], "accompanied": "BOOLEAN", "identity_verified": "BOOLEAN",
    "asylum_claim": "VARCHAR", "fear_claims": [{"country": "VARCHAR", "status": "VARCHAR"}],
    "removal_decision": {"date": "DATE", "final": "BOOLEAN", "appeal_deadline": "DATE",
                         "appeal_pending": "BOOLEAN"},
    "convictions": [{"sentence_end": "DATE"}],
    "family_in_sending_country": "BOOLEAN", "fit_to_travel": "BOOLEAN"
}"""

TRANSFER = """{
    "ref": "VARCHAR", "person": "VARCHAR", "sending": "VARCHAR", "destination": "VARCHAR",
    "arrangement": "VARCHAR", "planned_date": "DATE", "status": "VARCHAR",
    "accepted_by_receiving": "BOOLEAN",
    "notice": {"served": "DATE", "language": "VARCHAR", "names_destination": "BOOLEAN"}
}"""

#: Files far larger than DuckDB's default limit on one JSON object (the whole document is one).
MAXIMUM_OBJECT_SIZE = 2**32 - 1

LOAD = f"""
CREATE OR REPLACE TABLE document AS
SELECT * FROM read_json($path, columns = $columns, maximum_object_size = {MAXIMUM_OBJECT_SIZE});

CREATE OR REPLACE TABLE assessments AS
SELECT country, a.date, a.onward_refoulement_risk AS risk, seq
FROM (SELECT c.code AS country, unnest(c.assessments) AS a,
             generate_subscripts(c.assessments, 1) AS seq
      FROM (SELECT unnest(countries) AS c FROM document));

CREATE OR REPLACE TABLE arrangements AS
SELECT a.ref AS arrangement, a.cap,
       coalesce(a.terms.requires_served_sentence, false) AS requires_served_sentence,
       coalesce(a.terms.excluded_nationalities, []) AS excluded_nationalities,
       a.terms.notice_days AS notice_days,
       coalesce(a.commitments, []) AS commitments
FROM (SELECT unnest(arrangements) AS a FROM document);

CREATE OR REPLACE TABLE arrangement_statuses AS
SELECT arrangement, s.date, s.status, seq
FROM (SELECT a.ref AS arrangement, unnest(a.status_history) AS s,
             generate_subscripts(a.status_history, 1) AS seq
      FROM (SELECT unnest(arrangements) AS a FROM document));

CREATE OR REPLACE TABLE court_orders AS
SELECT o.ref AS court_order, o.issued, o.lifted, o.scope.person AS scope_person,
       o.scope.arrangement AS scope_arrangement, o.scope.sending AS scope_sending,
       o.scope.destination AS scope_destination
FROM (SELECT unnest(court_orders) AS o FROM document);

CREATE OR REPLACE TABLE persons AS
SELECT unnest(json_transform(p, '{PERSON}')),
       json_exists(p, '$.removal_decision') AS removal_decision_recorded
FROM (SELECT unnest(persons) AS p FROM document);

CREATE OR REPLACE TABLE transfers AS
SELECT position, unnest(json_transform(t, '{TRANSFER}')),
       json_exists(t, '$.notice') AS notice_recorded
FROM (SELECT unnest(transfers) AS t, generate_subscripts(transfers, 1) AS position FROM document);
"""

#: Each rule gives a finding, its outcome and reason code; and the date a person comes of age.
MACROS = """
CREATE OR REPLACE MACRO blocked(code) AS {'outcome': 'blocked', 'code': code};
CREATE OR REPLACE MACRO review(code) AS {'outcome': 'review', 'code': code};
CREATE OR REPLACE MACRO passes(code) AS {'outcome': 'pass', 'code': code};
CREATE OR REPLACE MACRO is_leap(y) AS y % 4 = 0 AND (y % 100 <> 0 OR y % 400 = 0);
-- Someone born on 29 February turns a year older on 1 March in a year that is not a leap year.
CREATE OR REPLACE MACRO coming_of_age(birth, age) AS
    CASE WHEN month(birth) = 2 AND day(birth) = 29 AND NOT is_leap(year(birth) + age)
         THEN make_date(year(birth) + age, 3, 1)
         ELSE make_date(year(birth) + age, month(birth), day(birth))
    END;
"""

FINDINGS = """
WITH
screening AS (
    SELECT coalesce($as_of::DATE, as_of, current_date) AS as_of,
           coalesce(parameters.notice_days, 10) AS notice_days,
           coalesce(parameters.minor_age, 18) AS minor_age
    FROM document
),
status_on AS (  -- the latest entry on or before the screening date; on equal dates the later
    SELECT arrangement, status AS arrangement_status
    FROM arrangement_statuses, screening
    WHERE date <= screening.as_of
    QUALIFY row_number() OVER (PARTITION BY arrangement ORDER BY date DESC, seq DESC) = 1
),
assessment_on AS (
    SELECT country, risk
    FROM assessments, screening
    WHERE date <= screening.as_of
    QUALIFY row_number() OVER (PARTITION BY country ORDER BY date DESC, seq DESC) = 1
),
executed AS (
    SELECT arrangement, count(*) AS executed
    FROM transfers
    WHERE status = 'executed' AND arrangement IS NOT NULL
    GROUP BY arrangement
),
proposed AS (
    SELECT * FROM transfers WHERE coalesce(status, 'proposed') = 'proposed'
),
orders_in_effect AS (
    SELECT court_orders.*
    FROM court_orders, screening
    WHERE issued <= screening.as_of AND (lifted IS NULL OR lifted > screening.as_of)
),
covered AS (
    SELECT t.position FROM proposed t JOIN orders_in_effect o ON o.scope_person = t.person
    UNION
    SELECT t.position FROM proposed t JOIN orders_in_effect o
        ON o.scope_arrangement = t.arrangement
    UNION
    SELECT t.position FROM proposed t JOIN orders_in_effect o
        ON o.scope_sending = t.sending AND o.scope_destination = t.destination
    UNION
    SELECT t.position FROM proposed t JOIN orders_in_effect o
        ON o.scope_sending = t.sending AND o.scope_destination IS NULL
        AND o.scope_person IS NULL AND o.scope_arrangement IS NULL
),
person_languages AS (  -- as ISO 639-3, so that "ar" and "ara" match
    SELECT person, list(iso639.iso639_3) AS languages
    FROM (SELECT ref AS person, unnest(languages) AS code FROM persons)
    JOIN iso639 USING (code)
    GROUP BY person
),
facts AS (
    SELECT t.position, t.ref AS transfer, t.sending, t.destination, t.arrangement,
           t.planned_date, t.accepted_by_receiving, t.notice_recorded, t.notice,
           notice_language.iso639_3 AS notice_language,
           p.birth_date, p.nationalities, p.accompanied, p.identity_verified, p.asylum_claim,
           p.fear_claims, p.removal_decision_recorded, p.removal_decision,
           list_transform(p.convictions, lambda c: c.sentence_end) AS sentence_ends,
           p.family_in_sending_country, p.fit_to_travel,
           CASE WHEN p.languages IS NOT NULL THEN coalesce(pl.languages, []) END AS languages,
           a.cap, a.requires_served_sentence, a.excluded_nationalities, a.commitments,
           coalesce(a.notice_days, s.notice_days) AS notice_days,
           st.arrangement_status, coalesce(ex.executed, 0) AS executed,
           assessment_on.country IS NOT NULL AS assessed,
           coalesce(assessment_on.risk, false) AS risk,
           t.position IN (SELECT position FROM covered) AS covered,
           s.as_of, s.minor_age
    FROM proposed t
    JOIN persons p ON p.ref = t.person
    LEFT JOIN person_languages pl ON pl.person = t.person
    LEFT JOIN iso639 notice_language ON notice_language.code = t.notice.language
    LEFT JOIN arrangements a ON a.arrangement = t.arrangement
    LEFT JOIN status_on st ON st.arrangement = t.arrangement
    LEFT JOIN executed ex ON ex.arrangement = t.arrangement
    LEFT JOIN assessment_on ON assessment_on.country = t.destination
    CROSS JOIN screening s
),
derived AS (
    SELECT *,
           planned_date < coming_of_age(birth_date, minor_age) AS minor,
           list_transform(list_filter(fear_claims, lambda c: c.status = 'recognised'),
                          lambda c: c.country) AS fear_recognised,
           list_transform(list_filter(fear_claims, lambda c: c.status = 'pending'),
                          lambda c: c.country) AS fear_pending,
           CASE
               WHEN coalesce(asylum_claim = 'pending', false) AND fears_elsewhere
                   THEN 'both-claims'
               WHEN fears_elsewhere THEN 'fear-claim'
               WHEN asylum_claim = 'pending' THEN 'asylum-claim'
           END AS claims,
           fear_claims IS NULL OR asylum_claim IS NULL AS claims_unknown
    FROM (
        SELECT *,
               coalesce(len(list_filter(fear_claims, lambda c: c.status IN ('pending', 'recognised')
                                                       AND c.country <> destination)) > 0,
                        false) AS fears_elsewhere
        FROM facts
    )
),
findings AS (
    SELECT position, transfer,
    CASE
        WHEN list_contains(nationalities, destination) THEN blocked('own-country')
        WHEN nationalities IS NULL THEN review('nationalities-unknown')
        WHEN len(nationalities) = 0 THEN passes('stateless')
        ELSE passes('not-a-nationality')
    END AS "third-country",
    CASE
        WHEN arrangement IS NULL THEN blocked('no-arrangement')
        WHEN arrangement_status IS NULL THEN blocked('no-status')
        WHEN arrangement_status <> 'in_force' THEN blocked('not-in-force')
        ELSE passes('in-force')
    END AS "arrangement-in-force",
    CASE
        WHEN executed + 1 > cap THEN blocked('cap-exceeded')
        WHEN arrangement IS NULL THEN passes('no-arrangement')
        WHEN cap IS NULL THEN passes('no-cap')
        ELSE passes('within-cap')
    END AS "arrangement-cap",
    CASE
        WHEN len(list_intersect(nationalities, excluded_nationalities)) > 0
            THEN blocked('nationality-excluded')
        WHEN requires_served_sentence AND len(sentence_ends) = 0 THEN blocked('no-conviction')
        WHEN requires_served_sentence AND list_max(sentence_ends) > planned_date
            THEN blocked('sentence-not-served')
        WHEN len(excluded_nationalities) > 0 AND nationalities IS NULL
            THEN review('nationalities-unknown')
        WHEN requires_served_sentence AND sentence_ends IS NULL THEN review('convictions-unknown')
        WHEN requires_served_sentence AND list_count(sentence_ends) < len(sentence_ends)
            THEN review('sentence-end-unknown')
        WHEN arrangement IS NULL THEN passes('no-arrangement')
        WHEN len(excluded_nationalities) = 0 AND NOT requires_served_sentence
            THEN passes('no-terms')
        ELSE passes('within-terms')
    END AS "arrangement-terms",
    CASE
        WHEN NOT accepted_by_receiving THEN blocked('refused')
        WHEN accepted_by_receiving IS NULL THEN review('acceptance-unknown')
        ELSE passes('accepted')
    END AS "receiving-acceptance",
    CASE
        WHEN minor AND NOT accompanied THEN blocked('unaccompanied')
        WHEN birth_date IS NULL THEN review('birth-date-unknown')
        WHEN minor AND accompanied IS NULL THEN review('accompaniment-unknown')
        WHEN minor THEN passes('accompanied')
        ELSE passes('adult')
    END AS "unaccompanied-minor",
    CASE
        WHEN asylum_claim = 'granted' THEN blocked('asylum-granted')
        WHEN asylum_claim IS NULL THEN review('claim-unknown')
        ELSE passes('not-granted')
    END AS "protection-granted",
    CASE
        WHEN removal_decision_recorded AND removal_decision IS NULL THEN blocked('no-decision')
        WHEN NOT removal_decision.final THEN blocked('not-final')
        WHEN removal_decision.appeal_pending THEN blocked('appeal-pending')
        WHEN removal_decision.appeal_deadline >= as_of THEN blocked('appeal-deadline-open')
        WHEN NOT removal_decision_recorded THEN review('decision-unknown')
        WHEN removal_decision.appeal_deadline IS NULL THEN passes('final')
        ELSE passes('final-deadline-passed')
    END AS "final-decision",
    CASE
        WHEN notice_recorded AND notice IS NULL THEN blocked('not-served')
        WHEN notice.served > as_of THEN blocked('served-after-screening')
        WHEN NOT notice.names_destination THEN blocked('destination-not-named')
        WHEN notice_language IS NOT NULL AND NOT list_contains(languages, notice_language)
            THEN blocked('not-understood')
        WHEN planned_date - notice.served < notice_days THEN blocked('too-late')
        WHEN NOT notice_recorded THEN review('notice-unknown')
        WHEN languages IS NULL THEN review('languages-unknown')
        ELSE passes('served-in-time')
    END AS "written-notice",
    CASE
        WHEN list_contains(fear_recognised, destination) THEN blocked('fear-recognised')
        WHEN list_contains(fear_pending, destination) THEN blocked('fear-pending')
        WHEN fear_claims IS NULL THEN review('fear-unknown')
        ELSE passes('no-fear-claim')
    END AS "fear-of-destination",
    CASE
        WHEN claims IS NOT NULL AND risk THEN blocked(claims || '-risk')
        WHEN claims IS NOT NULL AND NOT assessed THEN review(claims || '-no-assessment')
        WHEN claims_unknown AND NOT assessed THEN review('claims-unknown-no-assessment')
        WHEN claims_unknown AND risk THEN review('claims-unknown-risk')
        WHEN claims IS NOT NULL THEN passes(claims || '-no-risk')
        WHEN assessed AND NOT risk THEN passes('no-risk')
        ELSE passes('no-claim')
    END AS "chain-refoulement",
    CASE
        WHEN asylum_claim = 'pending' AND arrangement IS NULL THEN blocked('no-arrangement')
        WHEN asylum_claim = 'pending' AND NOT list_contains(commitments, 'asylum_procedure')
            THEN blocked('not-committed')
        WHEN asylum_claim IS NULL THEN review('claim-unknown')
        WHEN asylum_claim = 'pending' THEN passes('committed')
        ELSE passes('no-pending-claim')
    END AS "asylum-procedure",
    CASE
        WHEN covered THEN blocked('order-in-effect')
        ELSE passes('no-order')
    END AS "court-order",
    CASE
        WHEN family_in_sending_country THEN review('family-in-sending-state')
        WHEN family_in_sending_country IS NULL THEN review('family-unknown')
        ELSE passes('no-family')
    END AS "family-unity",
    CASE
        WHEN NOT fit_to_travel THEN blocked('unfit')
        WHEN fit_to_travel IS NULL THEN review('fitness-unknown')
        ELSE passes('fit')
    END AS "fit-to-travel",
    CASE
        WHEN NOT identity_verified THEN review('not-verified')
        WHEN identity_verified IS NULL THEN review('verification-unknown')
        ELSE passes('verified')
    END AS "identity-verified",
    CASE
        WHEN arrangement IS NULL THEN passes('no-arrangement')
        WHEN NOT list_contains(commitments, 'accommodation')
            THEN review('no-accommodation-commitment')
        ELSE passes('accommodation-committed')
    END AS "reception-commitments"
    FROM derived
)
SELECT transfer,
       CASE
           WHEN list_contains(outcomes, 'blocked') THEN 'blocked'
           WHEN list_contains(outcomes, 'review') THEN 'review'
           ELSE 'clear'
       END AS verdict,
       * EXCLUDE (position, transfer, outcomes)
FROM (SELECT *, [{outcomes}] AS outcomes FROM findings)
ORDER BY position
""".replace("{outcomes}", ", ".join(f'"{rule}".outcome' for rule in RULES))


def connect() -> duckdb.DuckDBPyConnection:
    """A DuckDB database in memory with the ISO 639 table and the finding macros."""
    connection = duckdb.connect()
    languages = pl.DataFrame({"code": list(iso639_3()), "iso639_3": list(iso639_3().values())})
    connection.register("iso639_codes", languages)
    connection.execute("CREATE TABLE iso639 AS SELECT * FROM iso639_codes")
    connection.unregister("iso639_codes")
    connection.execute(MACROS)
    return connection


def load(connection: duckdb.DuckDBPyConnection, path: str | Path) -> None:
    """Read the scenario file into the connection's tables (replacing any loaded before)."""
    read, *tables = (statement for statement in LOAD.split(";") if statement.strip())
    connection.execute(read, {"path": str(path), "columns": DOCUMENT_COLUMNS})
    for statement in tables:
        connection.execute(statement)


def screen(connection: duckdb.DuckDBPyConnection, as_of: date | None = None) -> pl.DataFrame:
    """Every proposed transfer of the loaded file, in file order: ``transfer``, ``verdict``
    and a ``{outcome, code}`` struct per rule, named by the rule id."""
    return connection.execute(FINDINGS, {"as_of": as_of}).pl()
