"""The fidelity (transcription) test: every text the catalogue claims to transcribe appears in its source.

For each SOP in `sops/`, the texts it claims to transcribe (identity fields, actor names,
actions, requirements, outputs, *Waktu*, step notes, conditions, outcome names, dates) must
appear in the seed it names, within the line ranges of `source.lines`, after normalising
case, spacing, hyphenation, line breaks and markup -- or after applying the file's recorded
`corrections` (each `printed` text must itself stand in those lines).

The seeds are read from $SOP_SEEDS (default: ../shared/seeds beside the repository). Where
they are absent, every test is reported as skipped, never as passed. This is the only test
that reads outside the repository (see Docs/Catalogue.md).

Run: `pytest Tests/Catalogue` (make test does), or `python3 Tests/Catalogue/test_fidelity.py FILE...`
for a report of one file's misses.
"""

from __future__ import annotations

import html
import os
import re
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SEEDS = Path(os.environ.get("SOP_SEEDS", ROOT.parent / "shared" / "seeds"))
SOP_FILES = sorted((ROOT / "sops").rglob("*.yaml"))

MONTHS = ["januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus",
          "september", "oktober", "november", "desember"]
CORRECTION_KINDS = {"ocr", "layout"}


def normalise(text: str) -> str:
    """Case, spacing, hyphenation, line breaks, markup and typographic variants ignored."""
    text = html.unescape(re.sub(r"<[^>]*>", " ", text))
    text = text.replace("\u00a0", " ").replace("’", "'").replace("‘", "'")
    text = text.replace("“", '"').replace("”", '"').replace("–", "-").replace("—", "-")
    text = re.sub(r"(\w)-[ \t]*\n\s*(\w)", r"\1\2", text)     # hyphenation at a line break
    text = text.lower()
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s*([-/])\s*", r"\1", text)              # "Undang - Undang", "WA / SMS"
    text = re.sub(r"\s+([,.;:)\]])", r"\1", text)
    text = re.sub(r"([(\[])\s+", r"\1", text)
    return text.strip()


def seed_text(doc: dict) -> tuple[str, list[str]]:
    """The normalised text of the lines this SOP is read from; problems with the reference."""
    source = doc.get("source") or {}
    name = source.get("document")
    problems: list[str] = []
    if not name:
        return "", ["no source.document"]
    path = SEEDS / name
    if not path.exists():
        return "", [f"source.document {name} is not in {SEEDS}"]
    lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
    ranges = source.get("lines")
    if not ranges:
        problems.append("no source.lines: say which lines of the seed this SOP is read from")
        ranges = [[1, len(lines)]]
    chosen: list[str] = []
    for r in ranges:
        if not (isinstance(r, list) and len(r) == 2 and 1 <= r[0] <= r[1] <= len(lines)):
            problems.append(f"source.lines entry {r!r} is not [first, last] within 1..{len(lines)}")
            continue
        chosen.extend(lines[r[0] - 1:r[1]])
    return normalise("\n".join(chosen)), problems


def texts(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        out: list[str] = []
        for item in value:
            out.extend(texts(item))
        return out
    if isinstance(value, dict):
        for key in ("name", "text"):
            if key in value:
                return texts(value[key])
        return []
    return [str(value)]


def claims(doc: dict) -> list[tuple[str, str]]:
    """(where, text) for every text the file claims to transcribe."""
    out: list[tuple[str, str]] = []

    def add(where: str, value) -> None:
        for t in texts(value):
            out.append((where, t))

    for key in ("name", "number", "activity", "sub_activity", "purpose", "legal_basis",
                "qualifications", "equipment", "warnings", "records", "inputs", "outputs"):
        add(key, doc.get(key))
    for key, value in (doc.get("organization") or {}).items():
        add(f"organization.{key}", value)
    for key, value in (doc.get("approved_by") or {}).items():
        add(f"approved_by.{key}", value)
    for item in doc.get("related") or []:
        add("related", item["name"] if isinstance(item, dict) else item)
    for key, actor in (doc.get("actors") or {}).items():
        add(f"actors.{key}.name", (actor or {}).get("name"))
    for key, outcome in (doc.get("outcomes") or {}).items():
        add(f"outcomes.{key}.name", (outcome or {}).get("name"))
    for i, step in enumerate(doc.get("steps") or [], start=1):
        where = f"step {step.get('number', i)}"
        add(f"{where} action", step.get("action"))
        add(f"{where} requires", step.get("requires"))
        add(f"{where} produces", step.get("produces"))
        add(f"{where} duration", step.get("duration"))
        add(f"{where} recurring", step.get("recurring"))
        add(f"{where} note", step.get("note"))
        add(f"{where} when", step.get("when"))
        add(f"{where} via", step.get("via"))
    return out


def date_forms(value) -> list[str]:
    text = str(value)
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if not m:
        return [text]
    y, mo, d = m.group(1), int(m.group(2)), int(m.group(3))
    month = MONTHS[mo - 1]
    return [f"{d:02d} {month} {y}", f"{d} {month} {y}", f"{d:02d}-{mo:02d}-{y}", f"{d:02d}/{mo:02d}/{y}",
            f"{d}-{mo}-{y}", f"{d}/{mo}/{y}"]


def check(path: Path) -> list[str]:
    """The problems of one file: texts not found, corrections that do not stand in print."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    source, problems = seed_text(doc)
    if not source:
        return problems
    variants = [source]
    corrected = source
    for i, c in enumerate(doc.get("corrections") or [], start=1):
        if not isinstance(c, dict) or "printed" not in c or "reading" not in c:
            problems.append(f"corrections[{i}]: needs `printed` and `reading`")
            continue
        if c.get("kind") not in CORRECTION_KINDS:
            problems.append(f"corrections[{i}]: kind must be one of {sorted(CORRECTION_KINDS)}, not {c.get('kind')!r}")
        printed, reading = normalise(str(c["printed"])), normalise(str(c["reading"]))
        if printed not in source:
            problems.append(f"corrections[{i}]: printed text {c['printed']!r} is not in the source lines")
            continue
        corrected = corrected.replace(printed, reading)
    variants.append(corrected)
    for where, text in claims(doc):
        t = normalise(text)
        if t and not any(t in v for v in variants):
            problems.append(f"{where}: {text!r} is not in the source (nor after the recorded corrections)")
    for key, value in (doc.get("dates") or {}).items():
        if not any(normalise(f) in v for f in date_forms(value) for v in variants):
            problems.append(f"dates.{key}: {value} is not printed in the source in any usual form")
    return problems


def seeds_present() -> bool:
    return SEEDS.is_dir() and any(SEEDS.glob("*.txt"))


@pytest.mark.parametrize("path", SOP_FILES, ids=[str(p.relative_to(ROOT / "sops")) for p in SOP_FILES])
def test_every_text_is_in_its_source(path: Path) -> None:
    if not seeds_present():
        pytest.skip(f"the seed sources are not at {SEEDS} (set SOP_SEEDS): transcription not checked")
    problems = check(path)
    assert not problems, f"{path.relative_to(ROOT)}:\n  " + "\n  ".join(problems)


def test_the_catalogue_is_not_empty() -> None:
    assert len(SOP_FILES) >= 28


def test_every_seed_is_the_source_of_some_sop() -> None:
    """No source document is left out of the catalogue: each seed is some file's `source.document`."""
    if not seeds_present():
        pytest.skip(f"the seed sources are not at {SEEDS} (set SOP_SEEDS): not checked")
    seeds = {p.name for p in SEEDS.glob("*.txt")}
    cited = {(yaml.safe_load(p.read_text(encoding="utf-8")).get("source") or {}).get("document") for p in SOP_FILES}
    assert seeds <= cited, f"seeds no SOP names as its source: {sorted(seeds - cited)}"


def test_the_check_finds_a_text_that_is_not_printed(tmp_path: Path) -> None:
    """The test can fail: a word changed in a file is caught, and a made-up correction too."""
    if not seeds_present():
        pytest.skip(f"the seed sources are not at {SEEDS} (set SOP_SEEDS)")
    original = ROOT / "sops/kota-tarakan/dkisp/kunjungan-tarakan-command-center.yaml"
    doc = yaml.safe_load(original.read_text(encoding="utf-8"))
    doc["steps"][0]["action"] = doc["steps"][0]["action"] + " dengan segera"
    doc.setdefault("corrections", []).append({"printed": "kata yang tidak tercetak", "reading": "x", "kind": "ocr"})
    changed = tmp_path / "changed.yaml"
    changed.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    problems = check(changed)
    assert any("dengan segera" in p for p in problems), problems
    assert any("kata yang tidak tercetak" in p for p in problems), problems


if __name__ == "__main__":
    if not seeds_present():
        print(f"skipped: the seed sources are not at {SEEDS} (set SOP_SEEDS): transcription not checked")
        sys.exit(0)
    paths = [Path(a) for a in sys.argv[1:]] or SOP_FILES
    failed = 0
    for p in paths:
        problems = check(p.resolve())
        print(f"{'ok  ' if not problems else 'FAIL'} {p}")
        for problem in problems:
            print(f"     {problem}")
        failed += bool(problems)
    sys.exit(1 if failed else 0)
