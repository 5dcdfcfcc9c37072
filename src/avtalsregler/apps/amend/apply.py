"""Applying an amendment: its wording, rule, spec and reading changes written into the files of
a project (or a copy of it), with every place mapped back to the amendment for messages."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from avtalsregler.apps.amend.amendment import (PROJECT_DIRS, RULE_SECTIONS, SPEC_SECTIONS, Amendment,
                                               ClauseChange, ItemChange)
from avtalsregler.apps.amend.edit import (Edit, FileEdits, LineMap, block_end, clause_region, find_quote, line_start, offset,
                         reindent, render_text)
from avtalsregler.errors import SchemaError, Span, did_you_mean, expected_one_of
from avtalsregler.project.agreement import normalise
from avtalsregler.project.load import AGREEMENT_FILE
from avtalsregler.project.source import Node, load_yaml


@dataclass
class Layout:
    """Which file holds each clause's rule and spec, and each reading."""

    root: Path
    rules: dict[str, str] = field(default_factory=dict)       # clause -> relative path
    specs: dict[str, str] = field(default_factory=dict)
    readings: dict[str, str] = field(default_factory=dict)    # reading id -> relative path

    @classmethod
    def of(cls, root: Path) -> Layout:
        lay = cls(root)
        for folder, table in (("rules", lay.rules), ("specs", lay.specs)):
            for p in sorted((root / folder).glob("*.yaml")):
                node = load_yaml(p)
                if node.is_map() and "clause" in node and isinstance(node.value["clause"].value, str):
                    table.setdefault(node.value["clause"].value, f"{folder}/{p.name}")
        for p in sorted((root / "readings").glob("*.yaml")):
            node = load_yaml(p)
            if node.is_map() and "readings" in node and node.value["readings"].is_list():
                for r in node.value["readings"].value:
                    if r.is_map() and "id" in r:
                        lay.readings.setdefault(str(r.value["id"].value), f"readings/{p.name}")
        return lay


@dataclass
class Applied:
    """An amendment applied to text: every changed file's new content and line map."""

    files: dict[str, str]                 # relative path -> new text
    maps: dict[str, LineMap]
    created: list[str]
    skipped: list[tuple[str, str, Span]]  # clause, why, amendment place
    notes: list[tuple[str, Span]]         # what followed automatically (re-pinned quotes, …)
    text_changes: list[dict]              # clause, sentence, old, new, where


class Applier:
    """Turns an :class:`Amendment` into file edits on a project folder (read only)."""

    def __init__(self, amendment: Amendment, root: Path):
        self.a = amendment
        self.root = root
        self.layout = Layout.of(root)
        self.files: dict[str, FileEdits] = {}
        self.trees: dict[str, Node] = {}
        self.created: list[str] = []
        self.skipped: list[tuple[str, str, Span]] = []
        self.notes: list[tuple[str, Span]] = []
        self.text_changes: list[dict] = []

    # -- files --------------------------------------------------------------------------------
    def _file(self, rel: str) -> FileEdits:
        if rel not in self.files:
            p = self.root / rel
            text = p.read_text(encoding="utf-8") if p.exists() else ""
            if not p.exists():
                self.created.append(rel)
            self.files[rel] = FileEdits(rel, text)
        return self.files[rel]

    def _tree(self, rel: str) -> Node | None:
        if rel not in self.trees:
            fe = self._file(rel)
            self.trees[rel] = load_yaml(rel, fe.original) if fe.original.strip() else None
        return self.trees[rel]

    def _am_slice(self, key_node_span: Span, node: Node) -> str:
        from avtalsregler.apps.amend.edit import source_slice

        return source_slice(self.a.source, key_node_span, node)

    # -- the whole amendment ------------------------------------------------------------------
    def apply(self) -> Applied:
        for ch in self.a.changes:
            self._text(ch)
            rule = self.layout.rules.get(ch.clause)
            if rule is None:
                if ch.sentences or ch.rule or ch.rule_scalars or ch.spec:
                    self.skipped.append((ch.clause, f"{ch.clause} har ännu ingen regelfil: ändringarna av dess "
                                                    "meningar, regel och specifikation kan inte göras", ch.span))
            else:
                for sec in ch.rule:
                    self._item(rule, sec, RULE_SECTIONS[sec.section][0], ch.clause)
                for key, node in ch.rule_scalars.items():
                    self._scalar(rule, key, node)
                if ch.spec:
                    spec = self.layout.specs.get(ch.clause) or rule.replace("rules/", "specs/", 1)
                    if spec not in self.layout.specs.values() and spec not in self.files:
                        self._file(spec).add(Edit(0, 0, f'clause: "{ch.clause}"\n', None, "new spec"))
                    for sec in ch.spec:
                        self._item(spec, sec, SPEC_SECTIONS[sec.section][0], ch.clause)
            for rc in ch.readings:
                rel = self.layout.readings.get(rc.key)
                if rel is None:
                    rel = (rule or f"rules/s{int(ch.clause[1:]):02d}.yaml").replace("rules/", "readings/", 1)
                    if not (self.root / rel).exists() and rel not in self.files:
                        self._file(rel).add(Edit(0, 0, "readings:\n", None, "new register"))
                self._item(rel, rc, "list", ch.clause)
        out: dict[str, str] = {}
        maps: dict[str, LineMap] = {}
        for rel, fe in self.files.items():
            if fe.edits:
                out[rel], maps[rel] = fe.result()
        return Applied(out, maps, self.created, self.skipped, self.notes, self.text_changes)

    # -- the agreement text ---------------------------------------------------------------------
    def _text(self, ch: ClauseChange) -> None:
        agreement = self._file(AGREEMENT_FILE)
        text = agreement.original
        lo, hi = clause_region(text, ch.clause)
        rule = self.layout.rules.get(ch.clause)
        sentences = self._sentences(rule) if rule else {}
        for sid, new, node in ch.sentences:
            if rule is None:
                continue
            if sid not in sentences:
                raise SchemaError(f"the rule of {ch.clause} has no sentence {sid!r}", node.value["id"].span,
                                  did_you_mean(sid, sentences) or expected_one_of(sentences))
            old_node = sentences[sid]
            old = old_node.value["text"].value
            where = find_quote(text, old, lo, hi)
            if where is None:
                raise SchemaError(f"sentence {sid!r} of {ch.clause} is not in the agreement text as quoted",
                                  node.value["id"].span, "the project is already out of step; run avtalsregler check")
            self._replace_text(agreement, where, new, node.value["text"].span, f"{ch.clause} {sid}")
            self._set_sentence(rule, old_node, new, node.value["text"].span)
            self.text_changes.append({"clause": ch.clause, "sentence": sid, "old": normalise(old),
                                      "new": normalise(new), "where": node.value["text"].span})
        for old, new, node in ch.wording:
            where = find_quote(text, old, lo, hi)
            if where is None:
                raise SchemaError(f"the words {old!r} are not in {ch.clause} of the agreement", node.value["old"].span,
                                  "quote the words to change verbatim (only whitespace may differ)")
            if find_quote(text, old, where[1], hi) is not None:
                raise SchemaError(f"the words {old!r} occur more than once in {ch.clause}", node.value["old"].span,
                                  "quote more of the sentence so that the place is unique")
            self._replace_text(agreement, where, new, node.value["new"].span, f"{ch.clause} wording")
            sid = None
            # a rule sentence that quotes these words follows the new wording (text pinning)
            for s_id, s_node in sentences.items():
                quote = normalise(s_node.value["text"].value)
                if normalise(old) in quote and not any(x[0] == s_id for x in ch.sentences):
                    sid = s_id
                    self._set_sentence(rule, s_node, quote.replace(normalise(old), normalise(new), 1),
                                       node.value["new"].span)
                    self.notes.append((f"citatet av mening {s_id} i {rule} följer den nya lydelsen",
                                       node.value["new"].span))
            self.text_changes.append({"clause": ch.clause, "sentence": sid, "old": normalise(old),
                                      "new": normalise(new), "where": node.value["new"].span})

    def _replace_text(self, fe: FileEdits, where: tuple[int, int], new: str, origin: Span, what: str) -> None:
        fe.add(Edit(where[0], where[1], " ".join(new.split()), origin, what))

    def _sentences(self, rule: str) -> dict[str, Node]:
        tree = self._tree(rule)
        sec = tree.value.get("sentences") if tree else None
        out = {}
        for item in (sec.value if sec is not None and sec.is_list() else []):
            if item.is_map() and "id" in item and "text" in item:
                out[str(item.value["id"].value)] = item
        return out

    def _set_sentence(self, rule: str, item: Node, new: str, origin: Span) -> None:
        fe = self._file(rule)
        tnode = item.value["text"]
        kspan = tnode.key_span
        start, end = offset(fe.original, kspan), block_end(fe.original, tnode)
        rendered = render_text("text", new, kspan.col)
        if end != line_start(fe.original, end) or end == start:
            rendered = rendered.rstrip("\n")
        fe.add(Edit(start, end, rendered, origin, f"sentence {item.value['id'].value}"))

    # -- YAML sections --------------------------------------------------------------------------
    def _scalar(self, rel: str, key: str, node: Node) -> None:
        tree = self._tree(rel)
        fe = self._file(rel)
        kspan = node.key_span
        snippet = self._am_slice(kspan, node)
        if key in tree.value:
            tgt = tree.value[key]
            self._replace(fe, tgt.key_span, tgt, snippet, kspan, f"{key} of {rel}")
        else:
            pos = len(fe.original)
            fe.add(Edit(pos, pos, reindent(snippet, kspan.col, 1), kspan, f"{key} of {rel}"))

    def _replace(self, fe: FileEdits, tkey: Span, tnode: Node, snippet: str, akey: Span, what: str) -> None:
        start, end = offset(fe.original, tkey), block_end(fe.original, tnode)
        text = reindent(snippet, akey.col, tkey.col)
        if end != line_start(fe.original, end):
            text = text.rstrip("\n")
        fe.add(Edit(start, end, text, akey, what))

    def _item(self, rel: str, ch: ItemChange, kind: str, clause: str) -> None:
        fe = self._file(rel)
        tree = self._tree(rel)
        sec_name = "readings" if ch.section == "readings" else ch.section
        sec = tree.value.get(sec_name) if tree is not None else None
        target, tkey = self._find(sec, ch, kind, rel, clause)
        what = f"{ch.section} {ch.key!r}"
        if ch.remove:
            if target is None:
                raise SchemaError(f"there is no {ch.section[:-1] if ch.section.endswith('s') else ch.section} "
                                  f"{ch.key!r} to remove in {rel}", ch.node.value[ch.selector].span)
            start = line_start(fe.original, offset(fe.original, tkey))
            fe.add(Edit(start, block_end(fe.original, target), "", ch.node.span, what))
            return
        if target is not None:
            last_end = None
            for fname, fnode in ch.fields.items():
                snippet = self._am_slice(fnode.key_span, fnode)
                if fname in target.value:
                    t = target.value[fname]
                    self._replace(fe, t.key_span, t, snippet, fnode.key_span, f"{what}: {fname}")
                else:
                    end = block_end(fe.original, target)
                    if end != line_start(fe.original, end):
                        raise SchemaError(f"cannot add {fname!r} to {ch.key!r} in {rel}: it is written on one line",
                                          fnode.key_span, "write the item as a block mapping in the file first")
                    first_key = next(iter(target.value.values())).key_span
                    fe.add(Edit(end, end, " " * (first_key.col - 1) + reindent(snippet, fnode.key_span.col, first_key.col),
                                fnode.key_span, f"{what}: {fname}"))
                last_end = fname
            _ = last_end
            return
        # a new item
        if ch.selector == "quoting":
            raise SchemaError(f"no parameter of {clause} quotes {ch.key!r}", ch.node.value["quoting"].span,
                              "give part of the 'words' of the parameter to change")
        self._new_item(fe, sec, sec_name, ch, kind)

    def _find(self, sec: Node | None, ch: ItemChange, kind: str, rel: str, clause: str):
        if sec is None or sec.value is None:
            return None, None
        if kind == "map":
            if not sec.is_map():
                return None, None
            if ch.selector == "quoting":
                hits = [(k, v) for k, v in sec.items() if v.is_map() and "words" in v
                        and normalise(ch.key) in normalise(str(v.value["words"].value))]
                if len(hits) > 1:
                    raise SchemaError(f"{len(hits)} parameters of {clause} quote {ch.key!r}: "
                                      + ", ".join(k for k, _ in hits), ch.node.value["quoting"].span,
                                      "quote more words, or select the parameter by 'name'")
                if hits:
                    return hits[0][1], hits[0][1].key_span
                return None, None
            if ch.key in sec.value:
                node = sec.value[ch.key]
                return node, node.key_span
            return None, None
        for item in (sec.value if sec.is_list() else []):
            if item.is_map() and ch.selector in item and str(item.value[ch.selector].value) == ch.key:
                return item, item.value[ch.selector].key_span
        return None, None

    def _new_item(self, fe: FileEdits, sec: Node | None, sec_name: str, ch: ItemChange, kind: str) -> None:
        sel = ch.node.value[ch.selector]
        body_fields = list(ch.fields.items())
        if sec is None or sec.value is None:
            col = 3 if kind == "list" else 3
            header = f"{sec_name}:\n"
            pos = len(fe.original)
            if fe.original and not fe.original.endswith("\n"):
                header = "\n" + header
        else:
            header = ""
            pos = block_end(fe.original, sec)
            if pos != line_start(fe.original, pos):
                raise SchemaError(f"cannot add to {sec_name!r}: it is written on one line", sel.span,
                                  "write the section as a block in the file first")
            first = sec.value[0] if kind == "list" and sec.value else None
            if kind == "list":
                col = first.span.col if first is not None else 3
            else:
                col = next(iter(sec.value.values())).key_span.col if sec.value else 3
        if kind == "list":
            lines = " " * (col - 3) + f"- {ch.selector}: {_scalar_text(ch.key)}\n"
            inner = col
        else:
            lines = " " * (col - 1) + f"{ch.key}:\n"
            inner = col + 2
        for fname, fnode in body_fields:
            lines += " " * (inner - 1) + reindent(self._am_slice(fnode.key_span, fnode), fnode.key_span.col, inner)
        fe.add(Edit(pos, pos, header + lines, sel.span, f"new {sec_name} {ch.key!r}"))


def _scalar_text(value: str) -> str:
    from avtalsregler.apps.amend.edit import yaml_quote

    return yaml_quote(value)


def copy_project(root: Path, dest: Path) -> None:
    """Copy the project's folders (never the amendment's own folder, never .git)."""
    for d in PROJECT_DIRS:
        if (root / d).exists():
            shutil.copytree(root / d, dest / d, dirs_exist_ok=True)


def write_applied(applied: Applied, dest: Path) -> None:
    for rel, text in applied.files.items():
        p = dest / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")


def agreement_clauses(root: Path) -> list[str]:
    from avtalsregler.project.agreement import load_agreement

    return list(load_agreement(root / AGREEMENT_FILE).clauses)


