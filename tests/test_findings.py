"""Findings are data: a reason code and typed parameters per rule, stored compactly, read
back exactly, rendered when read in English or French and for the reader's role."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import build, screen, screen_one
from thirdcountry.findings import Renderer, decode_part, recover, split_parts
from thirdcountry.findings.render import (
    OrderLabel,
    _catalog_of,
    country_names,
    day_text,
    language_names,
    translate,
)
from thirdcountry.rules.catalog import ITEM_SEP, LETTERS, NULL, PARAM_SEP, RULE_SEP, Reason
from thirdcountry.rules.catalogs import catalog, tabular_versions
from thirdcountry.screening import screen_file

CATALOGS = [catalog(v) for v in tabular_versions()]
REASONS = [(c, rule, r) for c in CATALOGS for rule in c.rules for r in rule.reasons]
CONTROL = re.compile(r"[\x00-\x1f]")


@pytest.mark.parametrize(
    ("code", "rule", "reason"),
    [(r.code, rule, r) for _c, rule, r in REASONS],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_every_reason_has_a_stable_code_and_names_its_parameters(
    code: str, rule: Any, reason: Reason
) -> None:
    assert re.fullmatch(rf"{re.escape(rule.id)}\.[a-z0-9]+(-[a-z0-9]+)*", code)
    placeholders = set(re.findall(r"\{(\w+)\}", reason.template))
    assert placeholders == {name for name, _kind in reason.params}, code


def test_codes_are_unique_in_each_catalog() -> None:
    for chosen in CATALOGS:
        codes = [r.code for rule in chosen.rules for r in rule.reasons]
        assert len(codes) == len(set(codes))


def test_every_template_title_and_basis_is_translated_into_french() -> None:
    # Case names read the same in French: what counts is that the catalog holds each text.
    french = _catalog_of("fr")._catalog  # type: ignore[attr-defined]
    missing = []
    for chosen in CATALOGS:
        for rule in chosen.rules:
            texts = [rule.title, *rule.basis_parts, *(r.template for r in rule.reasons)]
            missing += [t for t in texts if t not in french]
    assert missing == []


def test_french_placeholders_are_the_english_ones() -> None:
    for _c, _rule, reason in REASONS:
        french = translate(reason.template, "fr")
        assert set(re.findall(r"\{(\w+)\}", french)) == {n for n, _k in reason.params}, french


def test_the_seed_world_findings_are_stored_compactly_and_read_back(seed_world_path: Path) -> None:
    screening = screen_file(seed_world_path)
    sizes = []
    for rule in screening.catalog.rules:
        for part in screening.table[rule.id].struct.field("finding").to_list():
            decoded = decode_part(rule, part)
            assert decoded.reason is not None
            assert decoded.outcome == decoded.reason.outcome
            sizes.append(len(part.encode()))
    per_screening = sum(sizes) / screening.table.height
    assert per_screening < 250, per_screening


def test_verdicts_carry_code_params_and_the_english_reason(seed_world_path: Path) -> None:
    document = screen_file(seed_world_path).to_document()
    for result in document["results"]:
        for finding in result["findings"]:
            assert set(finding) == {"rule", "outcome", "reason", "code", "params", "basis"}
            assert finding["code"].startswith(finding["rule"] + ".")
            assert not CONTROL.search(finding["reason"]), finding
            json.dumps(finding["params"])  # typed, JSON-ready


def test_language_and_country_names_are_rendered_not_codes() -> None:
    verdict = screen_one({"transfer.notice.language": "es"})
    finding = verdict.finding("written-notice")
    assert finding.code == "written-notice.not-understood"
    # Languages are stored as ISO 639-3 codes, whichever ISO form the file gave.
    assert finding.params["language"] == "spa"
    assert finding.params["languages"] == ["ara", "eng"]
    assert "Spanish" in finding.reason and "Arabic, English" in finding.reason
    rule = catalog("2026.1").rule("written-notice")
    part = screen(build({"transfer.notice.language": "es"})).table[rule.id][0]["finding"]
    french = Renderer(catalog("2026.1"), "fr").reason_of(rule, part)
    assert "espagnol" in french and "arabe, anglais" in french, french
    assert "Rwanda" in Renderer(catalog("2026.1"), "fr").reason_of(
        catalog("2026.1").rule("third-country"),
        screen(build()).table["third-country"][0]["finding"],
    )


def test_a_reader_without_personal_data_reads_pseudonyms_and_birth_years() -> None:
    chosen = catalog("2026.1")
    for _c, rule, reason in REASONS:
        kinds = dict(reason.params)
        if not {"person", "birth_date"} & set(kinds.values()):
            continue
        values = [
            "P-9" if kind == "person" else "2010-05-06" if kind == "birth_date" else _sample(kind)
            for _name, kind in reason.params
        ]
        part = LETTERS[rule.reasons.index(reason)] + PARAM_SEP.join(values)
        staff = Renderer(chosen).reason_of(rule, part)
        monitor = Renderer(chosen, pseudonyms={"P-9": "Q7XK"}).reason_of(rule, part)
        assert "P-9" not in monitor and "2010-05-06" not in monitor, monitor
        if "person" in kinds.values():
            assert "P-9" in staff and "Q7XK" in monitor
        if "birth_date" in kinds.values():
            assert "2010-05-06" in staff and "2010" in monitor


def _sample(kind: str) -> str:
    return {
        "date": "2025-09-01",
        "number": "3",
        "country": "RW",
        "countries": f"RW{ITEM_SEP}UG",
        "language": "en",
        "languages": f"ar{ITEM_SEP}en",
        "person": "P-1",
        "persons": f"P-1{ITEM_SEP}P-2",
        "arrangement": "A-1",
        "court_orders": "ORD-1",
        "word": "in_force",
        "birth_date": "2000-01-02",
    }[kind]


_OLD_STYLE = {
    "date": "2025-09-01",
    "number": "12",
    "country": "RW",
    "countries": "RW, UG",
    "language": "ar",
    "languages": "ar, en",
    "person": "P-7",
    "persons": "P-7, P-8",
    "arrangement": "GB-RW-2022",
    "court_orders": "ORD-1",
    "word": "in_force",
    "birth_date": "2010-05-06",
}


@pytest.mark.parametrize(
    ("rule", "reason"), [(rule, r) for c, rule, r in REASONS if c.version == "2026.1"]
)
def test_a_sentence_stored_before_codes_is_read_back_into_its_code(
    rule: Any, reason: Reason
) -> None:
    sentence = reason.template.format(**{n: _OLD_STYLE[k] for n, k in reason.params})
    part = recover(rule, reason.outcome, sentence)
    decoded = decode_part(rule, part)
    if decoded.reason is None:
        # Another template of the rule matches first only if it reads the same sentence.
        pytest.fail(f"{reason.code}: {sentence!r} not recovered")
    assert Renderer(catalog("2026.1")).reason_of(rule, part).replace("Rwanda", "RW") != ""
    assert decoded.outcome == reason.outcome


def test_a_sentence_no_template_matches_is_kept_as_legacy_text() -> None:
    rule = catalog("2026.1").rule("court-order")
    part = recover(rule, "blocked", "an order nobody can parse")
    decoded = decode_part(rule, part)
    assert decoded.reason is None and decoded.code is None
    assert decoded.legacy_text == "an order nobody can parse"
    assert Renderer(catalog("2026.1"), "fr").reason_of(rule, part) == "an order nobody can parse"


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from([(rule, r) for c, rule, r in REASONS]),
    st.data(),
)
def test_stored_parameters_read_back_as_written(
    pick: tuple[Any, Reason], data: st.DataObject
) -> None:
    rule, reason = pick
    text = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=8)
    values: list[str] = []
    for _name, kind in reason.params:
        if kind == "number":
            values.append(str(data.draw(st.integers(-999, 99_999))))
        elif kind in ("countries", "languages", "persons", "court_orders"):
            values.append(ITEM_SEP.join(data.draw(st.lists(text.filter(bool), max_size=3))))
        else:
            values.append(data.draw(st.one_of(st.just(NULL), text.filter(lambda t: t != NULL))))
    part = LETTERS[rule.reasons.index(reason)] + PARAM_SEP.join(values)
    decoded = decode_part(rule, part)
    assert decoded.reason == reason
    for (name, kind), value in zip(reason.params, values, strict=True):
        got = decoded.params[name]
        if value == NULL:
            assert got is None
        elif kind == "number":
            assert got == int(value)
        elif kind in ("countries", "languages", "persons", "court_orders"):
            assert got == (value.split(ITEM_SEP) if value else [])
        else:
            assert got == value
    assert RULE_SEP not in part


def test_the_screening_date_is_not_part_of_the_facts_hash(seed_world_path: Path) -> None:
    one = screen_file(seed_world_path)
    document = json.loads(seed_world_path.read_text())
    later = screen(document, "2025-09-02")
    same = {
        v.transfer: v.facts_sha256 for v in one if later.verdict(v.transfer).findings == v.findings
    }
    assert same, "no transfer kept its findings a day later"
    for transfer, digest in same.items():
        assert later.verdict(transfer).facts_sha256 == digest


def test_names_come_from_the_iso_lists_in_each_language() -> None:
    assert country_names("fr")["GB"] != country_names("en")["GB"]
    assert language_names("en")["es"] == "Spanish" == language_names("en")["spa"]
    assert language_names("fr")["es"] == "espagnol"
    assert split_parts("") == []


def test_dates_in_sentences_are_written_as_the_readers_language_writes_them() -> None:
    assert day_text("2025-09-25", "en") == "2025-09-25"
    assert day_text("2025-09-05", "fr") == "5 septembre 2025"
    assert day_text("2025-08-01", "fr") == "1 août 2025"
    assert day_text("not a date", "fr") == "not a date"
    rule = catalog("2026.1").rule("unaccompanied-minor")
    part = screen(build()).table[rule.id][0]["finding"]
    english = Renderer(catalog("2026.1"), "en").reason_of(rule, part)
    french = Renderer(catalog("2026.1"), "fr").reason_of(rule, part)
    assert "born 1990-01-01" in english and "planned date 2025-09-20" in english
    assert "1 janvier 1990" in french and "(20 septembre 2025)" in french, french
    # a reader who may not see personal data reads the birth year only, in both languages
    hidden = Renderer(catalog("2026.1"), "fr", pseudonyms={}).reason_of(rule, part)
    assert "1990" in hidden and "janvier 1990" not in hidden, hidden


def _edge(kind: str, variant: int) -> str:
    """A parameter value: a sample, unknown, an empty list, or a value no name list holds."""
    if variant == 1:
        return NULL
    if variant == 2 and kind in ("countries", "languages", "persons", "court_orders"):
        return ""
    if variant == 3:
        return {"country": "ZZ", "language": "qqq", "person": "P-404", "word": "odd_word"}.get(
            kind, _sample(kind)
        )
    return _sample(kind)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_one_screening_is_rendered_as_the_column_renders_it(language: str) -> None:
    """A screening's findings rendered one at a time (a page, an API answer) read exactly as
    the same findings rendered as a column (an export), for every reason of every catalog,
    in each language, for staff and for a monitor."""
    order = OrderLabel("ORD-1", "injunction", "High Court", "2025-01-02", person="P-1")
    for chosen in CATALOGS:
        readers = [
            Renderer(chosen, language, orders={"ORD-1": order}),
            Renderer(chosen, language, pseudonyms={"P-1": "Q1AB"}, orders={"ORD-1": order}),
            Renderer(chosen, language),
        ]
        for rule in chosen.rules:
            parts = [
                LETTERS[rule.reasons.index(reason)]
                + PARAM_SEP.join(_edge(kind, variant) for _name, kind in reason.params)
                for reason in rule.reasons
                for variant in range(4)
            ] + ["~pkept as it was written"]
            frame = pl.DataFrame({rule.id: parts}, schema={rule.id: pl.String})
            for reader in readers:
                column = frame.select(reader.sentence(rule, pl.col(rule.id))).to_series()
                assert [reader.sentence_of(rule, p) for p in parts] == column.to_list()
