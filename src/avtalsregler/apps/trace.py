"""Traceability: the agreement split into sentences, and which rule element accounts for each.

What counts as a sentence (the splitter's rules, in order):

* Headings (``§N Rubrik``) and the document title are not sentences; a rule's ``title`` must
  equal its heading, which the loader checks.
* Prose is split after ``.``, ``!`` or ``?`` when the next word starts with a capital letter or
  ``§``; the abbreviations in :data:`ABBREVIATIONS` (``t.ex.`` …) never end a sentence, and
  neither does a colon inside a word (``ABC:s``) nor a parenthesis (``två (2) original``).
* A sentence that ends with ``:`` and is followed by bullets (``•``) takes the bullets as its
  items: one sentence, ``items`` listing the bullets. A line that starts with a lower-case
  letter after a bullet continues that bullet (the extraction wraps bullets, sometimes with a
  blank line in between).
* A *form*: short lines (fewer than :data:`FORM_MAX` characters) that end without punctuation
  and start where no sentence is open — a block of contact fields or of signatures. A form is split into *records*: a record ends at a signature line (only ``_``), and a
  new record starts where the form's first field name repeats (the second contact block starts
  where ``Namn`` comes again). Each record is one "sentence" of kind ``form``.

A sentence is accounted for when a rule of its clause quotes it whole (the quote may span
several sentences) and either some rule element (input, parameter, definition, duty, spec
example or invariant) names that quote's id as its ``sentence``, or the quote is marked
``declarative`` with a reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from avtalsregler.project.agreement import Agreement, HEADING, normalise
from avtalsregler.project.model import Project

ABBREVIATIONS = ("t.ex.", "bl.a.", "m.m.", "s.k.", "d.v.s.", "osv.")
FORM_MAX = 50
_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ§])")
_BULLET = "•"


@dataclass
class AgreementSentence:
    id: str              # "§N.M": clause and the sentence's number within it
    clause: str
    text: str            # whitespace-normalised, bullets included as in the text
    line: int            # 1-based line of the agreement file where it starts
    kind: str = "sentence"   # sentence | list | form
    items: list[str] = field(default_factory=list)


def _split_prose(text: str) -> list[str]:
    protected = text
    for i, abbr in enumerate(ABBREVIATIONS):
        protected = protected.replace(abbr, f"\x00{i}\x00")
    parts = [p for p in _END.split(protected) if p.strip()]
    out = []
    for p in parts:
        for i, abbr in enumerate(ABBREVIATIONS):
            p = p.replace(f"\x00{i}\x00", abbr)
        out.append(normalise(p))
    return out


def _is_form_line(line: str) -> bool:
    s = line.strip()
    return bool(s) and len(s) < FORM_MAX and not s.startswith(_BULLET) and s[-1] not in ".:!?,;"


def _is_signature(line: str) -> bool:
    s = line.strip()
    return bool(s) and set(s) <= {"_", " "}


def split_sentences(agreement: Agreement) -> list[AgreementSentence]:
    """Every sentence of every clause, in order of the text."""
    lines = open(agreement.path, encoding="utf-8").read().split("\n")
    out: list[AgreementSentence] = []
    clause: str | None = None
    counter: dict[str, int] = {}
    # state of the sentence being built
    buf: list[str] = []          # prose pieces
    buf_lines: list[int] = []    # the line of each piece
    buf_line = 0
    items: list[str] = []        # bullets of a list sentence
    form: list[str] = []         # lines of a form
    form_lines: list[int] = []

    def emit(text: str, line: int, kind: str = "sentence", its: list[str] | None = None) -> None:
        counter[clause] = counter.get(clause, 0) + 1
        out.append(AgreementSentence(f"{clause}.{counter[clause]}", clause, normalise(text), line, kind,
                                     list(its or [])))

    def flush_prose() -> None:
        nonlocal buf, items, buf_lines
        if not buf:
            return
        text = normalise(" ".join(buf))
        if items:
            full = text + " " + " ".join(f"{_BULLET} {it}" for it in items)
            emit(full, buf_line, "list", items)
        else:
            # the line where each sentence starts: the piece holding its first characters
            starts, pos = [], 0
            for piece, ln in zip(buf, buf_lines):
                starts.append((pos, ln))
                pos += len(normalise(piece)) + 1
            at = 0
            for s in _split_prose(text):
                at = text.index(s, at)
                emit(s, max(ln for p0, ln in starts if p0 <= at))
                at += len(s)
        buf, items, buf_lines = [], [], []

    def flush_form() -> None:
        nonlocal form, form_lines
        if not form:
            return
        records: list[list[tuple[str, int]]] = [[]]
        first_field = form[1] if len(form) > 1 else None
        for i, (ln, no) in enumerate(zip(form, form_lines)):
            if _is_signature(ln):
                if records[-1]:
                    records.append([])
                continue
            if i > 0 and first_field is not None and i + 1 < len(form) and form[i + 1] == first_field \
                    and records[-1]:
                records.append([])
            records[-1].append((ln, no))
        for rec in records:
            if rec:
                emit(" ".join(t for t, _ in rec), rec[0][1], "form")
        form, form_lines = [], []

    for no, raw in enumerate(lines, start=1):
        m = HEADING.match(raw)
        if m:
            flush_prose()
            flush_form()
            clause = f"§{int(m.group(1))}"
            continue
        if clause is None:
            continue
        s = raw.strip()
        if not s:
            continue
        if s.startswith(_BULLET):
            item = normalise(s[1:])
            if buf and (items or normalise(" ".join(buf)).endswith(":")):
                items.append(item)
                continue
            flush_prose()
            emit(f"{_BULLET} {item}", no, "list", [item])
            continue
        if items and s[0].islower():          # a wrapped bullet continues
            items[-1] = normalise(items[-1] + " " + s)
            continue
        if items:
            flush_prose()
        if form and (_is_form_line(s) or _is_signature(s)):
            form.append(s)
            form_lines.append(no)
            continue
        if form:
            flush_form()
        open_sentence = bool(buf) and not re.search(r"[.!?]$", normalise(" ".join(buf)))
        if not open_sentence and (_is_form_line(s) or _is_signature(s)):
            flush_prose()
            form, form_lines = [s], [no]
            continue
        if not buf:
            buf_line = no
        elif not open_sentence:
            # a finished sentence; the next starts here
            flush_prose()
            buf_line = no
        buf.append(s)
        buf_lines.append(no)
    flush_prose()
    flush_form()
    return out


# -- the map ----------------------------------------------------------------------------------------

@dataclass
class TraceRow:
    sentence: AgreementSentence
    status: str                  # used | declarative | unaccounted | no_rule
    quote_ids: list[str] = field(default_factory=list)
    elements: list[str] = field(default_factory=list)    # "definition:NAME", "duty:NAME", …
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.status != "unaccounted"


def _elements(project: Project, cid: str, sid: str) -> list[str]:
    c = project.clauses[cid]
    out = []
    for kind, table in (("input", c.inputs), ("parameter", c.parameters), ("definition", c.definitions),
                        ("duty", c.duties)):
        out += [f"{kind}:{n}" for n, x in table.items() if x.sentence == sid]
    out += _declared(c, sid)
    spec = project.specs.get(cid)
    if spec:
        out += [f"example:{e.name}" for e in spec.examples if e.sentence == sid]
        out += [f"invariant:{i.name}" for i in spec.invariants if i.sentence == sid]
    return out


def _declared(c, sid: str) -> list[str]:
    """Declarations that name the sentence: the parties, the amendment procedure, events."""
    out = []
    parties = c.declared.get("parties")
    if parties is not None and parties.sentence == sid:
        out.append("parties")
    amendment = c.declared.get("amendment")
    for what, item in (("consent", getattr(amendment, "consent", None)),
                       ("identical", getattr(amendment, "identical", None))):
        if item is not None and item.sentence == sid:
            out.append(f"amendment:{what}")
    events = c.declared.get("events")
    out += [f"event:{e.id}" for e in (events.events if events is not None else ()) if sid in e.sentences]
    return out


def build_trace(project: Project) -> list[TraceRow]:
    rows = []
    for s in split_sentences(project.agreement):
        clause = project.clauses.get(s.clause)
        if clause is None:
            rows.append(TraceRow(s, "no_rule"))
            continue
        quotes = [q for q in clause.sentences if s.text in normalise(q.text)]
        row = TraceRow(s, "unaccounted", [q.id for q in quotes])
        for q in quotes:
            row.elements += _elements(project, s.clause, q.id)
        declared = [q for q in quotes if q.declarative]
        if row.elements:
            row.status = "used"
        elif declared:
            row.status = "declarative"
            row.reason = " ".join((declared[0].declarative or "").split())
        else:
            row.reason = ("no rule quotes this sentence whole" if not quotes
                          else "quoted, but no rule element names the quote and it is not marked declarative")
        rows.append(row)
    return rows


def coverage(rows: list[TraceRow]) -> dict[str, dict[str, int]]:
    """Per clause: how many sentences, how many accounted for, and whether a rule exists."""
    out: dict[str, dict[str, int]] = {}
    for r in rows:
        c = out.setdefault(r.sentence.clause, {"sentences": 0, "accounted": 0, "has_rule": 1})
        c["sentences"] += 1
        if r.status == "no_rule":
            c["has_rule"] = 0
        elif r.ok:
            c["accounted"] += 1
    return out
