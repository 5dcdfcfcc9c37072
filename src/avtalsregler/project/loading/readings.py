"""The register of readings: where the text is unclear, the reading chosen and the alternatives."""

from __future__ import annotations

from pathlib import Path

from avtalsregler.errors import SchemaError, expected_one_of
from avtalsregler.project.agreement import Agreement
from avtalsregler.project.loading.common import clause_id, shown
from avtalsregler.project.model import Alternative, Reading
from avtalsregler.project.source import check_id, expect, fields, load_yaml, text_of
from avtalsregler.project.inputs import listing


def load_readings(folder: Path, agreement: Agreement) -> dict[str, Reading]:
    """The register of readings: every ``readings/*.yaml`` file, each a list under ``readings:``."""
    out: dict[str, Reading] = {}
    for path in listing(folder, "*.yaml"):
        read_readings_file(path, agreement, out)
    return out


def read_readings_file(path: Path, agreement: Agreement, out: dict[str, Reading]) -> None:
    root = load_yaml(shown(path))
    f = fields(root, "a register of readings", required=("readings",))
    for item in expect(f["readings"], list, "readings"):
        g = fields(item, "a reading", required=("id", "clause", "words", "question", "chosen", "alternatives"),
                   optional=("status",))
        rid = check_id(g["id"].value, g["id"].span, "reading id")
        if rid in out:
            raise SchemaError(f"reading id {rid!r} is used twice", g["id"].span)
        cid = clause_id(g["clause"], agreement)
        words = expect(g["words"], str, "words")
        if not agreement.contains(cid, words):
            raise SchemaError(f"the words {words!r} are not in {cid}", g["words"].span,
                              "quote the words of the agreement that the reading interprets")
        alts = []
        for a in expect(g["alternatives"], list, "alternatives"):
            h = fields(a, "an alternative", required=("reading", "effect"))
            alts.append(Alternative(expect(h["reading"], str, "reading"), expect(h["effect"], str, "effect")))
        status = text_of(g.get("status"), "status", "decided")
        if status not in ("decided", "open"):
            raise SchemaError(f"unknown status {status!r}", g["status"].span, expected_one_of(("decided", "open")))
        out[rid] = Reading(rid, cid, words, expect(g["question"], str, "question"),
                           expect(g["chosen"], str, "chosen"), tuple(alts), status, g["id"].span)
