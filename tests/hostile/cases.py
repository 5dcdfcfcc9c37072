"""The bad-input corpus: one case per hostile or malformed input, each with the exit code and the
``path:line:col`` it must give (see :mod:`tests.hostile.harness`). Every file kind (rules,
specs, readings, the agreement text, amendments, event logs YAML and CSV, population CSV,
exports CSV and JSON-stat, invoices CSV and XLSX, index file) and every command is covered.
Large and explosive inputs are functions, generated when the case runs; the ``measured`` ones
run in their own interpreter with their time and peak memory taken."""

from __future__ import annotations

import io
import zipfile

from tests.hostile.harness import ROOT as AT_ROOT
from avtalsregler.project.source import MAX_YAML_NODES
from tests.hostile.harness import At, Case

RULE = "rules/s03_avgift.yaml"
S07 = "rules/s07_ersattning.yaml"
SYFTE = "rules/s01_syfte.yaml"
SYFTE_END = "kan inte beräknas.\n"
PARTIES = "rules/s02_parter.yaml"
SPEC = "specs/s03_avgift.yaml"
READINGS = "readings/a03_avgift.yaml"
AGREEMENT = "agreement/overenskommelse.txt"
POP = "data/population.csv"
LOG = "events/brister_2024.yaml"
AMEND = "amendments/tak_40_procent.yaml"
TRACE = ["trace"]                          # a command that loads the whole project and nothing more
ASSUME = "expr: sum(m in medlem, befolkning[m]) > 0"
SCRIPT = "<script>alert(1)</script>"
IMG = 'R12-x"><img src=x onerror=alert(1)>'


def rule(old: str, new: str) -> list[tuple]:
    return [(RULE, old, new)]


def expr(text: str) -> list[tuple]:
    """The assumption's expression replaced by ``text`` (a single-quoted YAML scalar)."""
    return rule(ASSUME, "expr: '" + text.replace("'", "''") + "'")


def at_expr(dcol: int = 0) -> At:
    return At(RULE, "expr: '", 7 + dcol)


def _deep(n: int) -> str:
    return "related: " + "[" * n + "]" * n


def _nested_maps(n: int) -> str:
    return "related: " + "{a: " * n + "1" + "}" * n


def _binders(n: int) -> str:
    inner = "befolkning[m0] > 0"
    for i in range(n):
        inner = f"forall(m{i} in medlem, {inner})"
    return inner


def _seven_binders() -> str:
    inner = "befolkning[k0] > 0"
    for i in range(7):
        inner = f"forall(k{i} in kommun, {inner})"
    return inner


def _main_flow_lists() -> bytes:
    text = (AT_ROOT / S07).read_text(encoding="utf-8")
    return text.replace("expr: sum(k in kommun, befolkning[k]) > 0",
                        "expr: sum(k in kommun, befolkning[k]) > 0\n    x: [" + "[1, 2, 3], " * 90_000 + "]", 1).encode()


def _big_event_log() -> bytes:
    return b"events:\n" + b"  - {date: 2020-03-01, kind: verksamhetsrapport}\n" * 1_100_000


def _big_rule() -> bytes:
    return b"clause: '\xc2\xa73'\n" + b"# " + b"x" * 1_100_000 + b"\n"


def _many_values() -> bytes:
    text = (AT_ROOT / "tests/fixtures/andra_avtalet" / RULE).read_text(encoding="utf-8")
    return (text.replace('related: ["§2", "§8"]', "related: [" + "1," * 150_000 + "1]", 1)).encode()


def _big_log() -> str:
    head = "from: 2024-01-01\nas_of: 2024-12-31\nevents:\n"
    return head + "  - {date: 2024-03-01, kind: verksamhetsrapport, note: fiktiv}\n" * 20_000


def _big_csv(rows: int) -> str:
    line = "Alfa,9901,2023-12-31,4300,fiktiv testdata\n"
    return "municipality,code,date,population,source\n" + line * rows


def _zero_figures(day: str) -> str:
    lines = (AT_ROOT / POP).read_text(encoding="utf-8").split("\n")
    out = []
    for line in lines:
        cells = line.split(",", 4)
        if len(cells) == 5 and cells[2] == day:
            cells[3] = "0"
        out.append(",".join(cells))
    return "\n".join(out)


def _invoice_with(amount: str) -> str:
    """The bundled invoices of 2022 with the first invoice's amount replaced."""
    text = (AT_ROOT / "examples/invoices/fakturor_2022.csv").read_text(encoding="utf-8")
    return text.replace("Ragunda;2303;2022-01-01;2022 kvartal 1;92 481,58;", f"Ragunda;2303;2022-01-01;2022 kvartal 1;{amount};", 1)


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def _xlsx_bomb() -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": b" " * 60_000_000})


def _amendment() -> str:
    return (AT_ROOT / "tests/fixtures/andra_avtalet" / AMEND).read_text(encoding="utf-8")


def _deep_json() -> str:
    return '{"version": "2.0", "class": "dataset", "x": ' + "[" * 50_000 + "]" * 50_000 + "}"


POP_ROW = "Alfa,9901,2024-12-31,4100,"
ZERO_POP = [(POP, f"{n},{c},2024-12-31,{p},", f"{n},{c},2024-12-31,0,")
            for n, c, p in (("Alfa", 9901, 4100), ("Beta", 9902, 2700), ("Gamma", 9903, 2100))]
INVOICES = "fakturor.csv"
SECRET = "first line of a private file\n" + "".join(f"secret line {i} that must not be shown\n" for i in range(2, 40))
INVOICE_HEAD = "medlem,fakturadatum,period,belopp\n"

CASES: list[Case] = [
    # -- YAML front end, on a rule file -------------------------------------------------------------
    Case("yaml-bad-byte", TRACE, 2, At(RULE, line=13, col=2), rule("sentences:\n", "sentences:\n#\udcff\n"), "0xff"),
    Case("yaml-bad-byte-mid-line", TRACE, 2, At(RULE, "# ab", 4), [(RULE, "sentences:\n", "sentences:\n# ab\udce9cd\n")]),
    Case("yaml-control-char", TRACE, 2, At(RULE, "# \x01", 2), rule("sentences:\n", "sentences:\n# \x01\n"), "U+0001"),
    Case("yaml-nul", TRACE, 2, At(RULE, "\x00"), rule("title: Avgift", "title: Avg\x00ift")),
    Case("yaml-escape-char", TRACE, 2, At(RULE, "\x1b"), rule("summary: >", "summary: \x1b[31m >")),
    Case("yaml-c1-control", TRACE, 2, At(RULE, "\x85"), rule("title: Avgift", "title: Avgift\x85")),
    Case("yaml-anchor", TRACE, 2, At(RULE, "&a"), rule('related: ["§2", "§8"]', 'related: &a ["§2", "§8"]')),
    Case("yaml-alias", TRACE, 2, At(RULE, "*a"), rule('related: ["§2", "§8"]', 'related: ["§2", *a]')),
    Case("yaml-merge-key", TRACE, 2, At(RULE, "<<"), rule("    type: int\n    min: 2024", "    <<: {}\n    type: int\n    min: 2024")),
    Case("yaml-python-tag", TRACE, 2, At(RULE, "!!python"), rule("title: Avgift", "title: !!python/object/apply:os.system [ls]")),
    Case("yaml-custom-tag", TRACE, 2, At(RULE, "!x"), rule("title: Avgift", "title: !x Avgift")),
    Case("yaml-duplicate-key", TRACE, 2, At(RULE, "title: Avgift2"), rule("summary: >", "title: Avgift2\nsummary: >")),
    Case("yaml-list-key", TRACE, 2, At(RULE, "[a]"), rule("summary: >", "? [a]\n: b\nsummary: >")),
    Case("yaml-syntax", TRACE, 2, At(RULE, "summary: >", 7), rule("title: Avgift", "title: [Avgift")),
    Case("yaml-bad-indent", TRACE, 2, At(RULE, "   x: 1", 4), rule("summary: >", "clause2:\n  a: 1\n   x: 1\nsummary: >")),
    Case("yaml-empty-file", TRACE, 2, At(RULE, line=1), [(RULE, "")], "empty"),
    Case("yaml-only-comment", TRACE, 2, At(RULE, line=1), [(RULE, "# nothing\n")], "empty"),
    Case("yaml-top-level-list", TRACE, 2, At(RULE, line=1), [(RULE, "- a\n- b\n")]),
    Case("yaml-two-documents", TRACE, 2, At(RULE, "---"), [(RULE, "a: 1\n---\nb: 2\n")]),
    Case("yaml-5000-brackets", TRACE, 2, At(RULE, "[", 39), rule('related: ["§2", "§8"]', _deep(5000)), "nested"),
    Case("yaml-3000-maps", TRACE, 2, At(RULE, "{", 4 * 39), rule('related: ["§2", "§8"]', _nested_maps(3000))),
    Case("yaml-int-5000-digits", TRACE, 2, At(RULE, "9999"), rule("max: 2200", "max: " + "9" * 5000), "digits"),
    Case("yaml-int-31-digits", TRACE, 2, At(RULE, "1111"), rule("max: 2200", "max: " + "1" * 31), "digits"),
    Case("yaml-int-30-digits-is-read", TRACE, 0, None, rule("max: 2200", "max: 1" + "0" * 29)),
    Case("yaml-hex-int-huge", TRACE, 2, At(RULE, "0x"), rule("max: 2200", "max: 0x" + "f" * 5000)),
    Case("yaml-float-money", TRACE, 2, At(RULE, "1200000.5"), rule("value: 1 200 000 kr", "value: 1200000.5")),
    Case("yaml-amount-5000-digits", TRACE, 2, At(RULE, "value: 9", 7), rule("value: 1 200 000 kr", "value: " + "9" * 5000 + " kr")),
    Case("yaml-impossible-date", ["compliance", LOG], 2, At(LOG, "2024-02-30"), [(LOG, "as_of: 2024-12-31", "as_of: 2024-02-30")]),
    Case("yaml-datetime", ["compliance", LOG], 2, At(LOG, "2024-12-31T"), [(LOG, "as_of: 2024-12-31", "as_of: 2024-12-31T10:00:00")]),
    Case("yaml-too-large", TRACE, 2, At(RULE, line=1), [(RULE, _big_rule)], "bytes", measured=True),
    Case("yaml-too-many-values", TRACE, 2, At(RULE, "1,1", 2 * (MAX_YAML_NODES - 9)), [(RULE, _many_values)], "values", measured=True),
    # -- the cases on the agreement itself (eight parties) ----------------------------------------
    Case("main-seven-binders", ["trace"], 2, At(S07, "forall(k2"), [(S07, "expr: sum(k in kommun, befolkning[k]) > 0",
                                                                  "expr: '" + _seven_binders() + "'")],
         "32768", "main", measured=True),
    Case("main-folded-expr-later-line", ["trace"], 2, At("rules/s11_uppsagning.yaml", "dagens_manadd"),
         [("rules/s11_uppsagning.yaml", "      max(0, -((forsta_fornyelsemanad - dagens_manad",
           "      max(0,\n      -((forsta_fornyelsemanad - dagens_manadd")], "dagens_manad", "main"),
    Case("main-template-slot-later-line", ["trace"], 2, At("rules/s11_uppsagning.yaml", "{fornyelsenummer}"),
         [("rules/s11_uppsagning.yaml", "i förlängning {fornyelse_nummer}", "i förlängning {fornyelsenummer}")], "fornyelse_nummer", "main"),
    Case("main-1mb-flow-lists", ["trace"], 2, At(S07, line=1), [(S07, _main_flow_lists)], "bytes", "main", measured=True),
    Case("main-50mb-event-log", ["compliance", "log.yaml"], 2, At("log.yaml", line=1), [("log.yaml", _big_event_log)],
         "bytes", "main", measured=True),
    Case("main-compliance-0001-9999", ["compliance", "log.yaml"], 2, At("log.yaml", "0001-01-01"),
         [("log.yaml", "from: 0001-01-01\nas_of: 9999-12-31\nevents: []\n")], "years", "main", measured=True),
    Case("main-all-zero-population", ["compute", "ersattning", "--year", "2022", "--annual-amount", "9356000"], 2,
         At(POP, ",0,", 1, "2021-11-01"), [(POP, lambda: _zero_figures("2021-11-01"))], "befolkning", "main"),
    # -- rule schema -------------------------------------------------------------------------------
    Case("rule-inputs-list", TRACE, 2, At(SYFTE, "[a]"), [(SYFTE, SYFTE_END, SYFTE_END + "inputs: [a]\n")]),
    Case("rule-inputs-empty", TRACE, 2, At(SYFTE, "inputs:"), [(SYFTE, SYFTE_END, SYFTE_END + "inputs:\n")]),
    Case("rule-inputs-text", TRACE, 2, At(SYFTE, "inputs: x", 8), [(SYFTE, SYFTE_END, SYFTE_END + "inputs: x\n")]),
    Case("rule-definitions-list", TRACE, 2, At(SYFTE, "[a]"), [(SYFTE, SYFTE_END, SYFTE_END + "definitions: [a]\n")]),
    Case("rule-definitions-empty", TRACE, 2, At(SYFTE, "definitions:"), [(SYFTE, SYFTE_END, SYFTE_END + "definitions:\n")]),
    Case("rule-parameters-list", TRACE, 2, At(SYFTE, "[a, b]"), [(SYFTE, SYFTE_END, SYFTE_END + "parameters: [a, b]\n")]),
    Case("rule-parameters-empty", TRACE, 2, At(SYFTE, "parameters:"), [(SYFTE, SYFTE_END, SYFTE_END + "parameters:\n")]),
    Case("rule-enums-text", TRACE, 2, At(SYFTE, "enums: x", 7), [(SYFTE, SYFTE_END, SYFTE_END + "enums: x\n")]),
    Case("rule-assume-map", TRACE, 2, At(SYFTE, "{a: 1}"), [(SYFTE, SYFTE_END, SYFTE_END + "assume: {a: 1}\n")]),
    Case("rule-input-is-text", TRACE, 2, At(SYFTE, "  x: y", 5), [(SYFTE, SYFTE_END, SYFTE_END + "inputs:\n  x: y\n")]),
    Case("rule-input-type-list", TRACE, 2, At(SYFTE, "[int]"), [(SYFTE, SYFTE_END, SYFTE_END + "inputs:\n  x: {type: [int], description: d}\n")]),
    Case("rule-unknown-key", TRACE, 2, At(RULE, "sumary"), rule("summary: >", "sumary: x\nsummary: >"), "summary"),
    Case("rule-no-clause", TRACE, 2, At(RULE, line=1), rule('clause: "§3"\n', ""), "clause"),
    Case("rule-unknown-clause", TRACE, 2, At(RULE, '"§99"'), rule('clause: "§3"', 'clause: "§99"')),
    Case("rule-title-not-heading", TRACE, 2, At(RULE, "Avgift!"), rule("title: Avgift", "title: Avgift!")),
    Case("rule-input-name-not-ident", TRACE, 2, At(RULE, "avgifts-ar"), rule("  avgiftsar:\n    type: int", "  avgifts-ar:\n    type: int")),
    Case("rule-input-name-html", TRACE, 2, At(RULE, "'<b>'"), rule("  avgiftsar:\n    type: int", "  '<b>':\n    type: int")),
    Case("rule-unknown-type", TRACE, 2, At(RULE, "integer"), rule("    type: int\n    min: 2024", "    type: integer\n    min: 2024")),
    Case("rule-min-above-max", TRACE, 2, At(RULE, "min: 3000", 5), rule("min: 2024", "min: 3000")),
    Case("rule-enum-value-html", TRACE, 2, At(RULE, "'" + SCRIPT), rule("{id: forsta_halvaret,", "{id: '" + SCRIPT + "',")),
    Case("rule-enum-value-number", TRACE, 2, At(RULE, "id: 7", 4), rule("{id: forsta_halvaret,", "{id: 7,")),
    # -- identifiers that reach pages, calendars and logs ---------------------------------------------
    Case("sentence-id-script", TRACE, 2, At(RULE, "'<script>"), rule("id: a3.1", f"id: '{SCRIPT}'"), "not an id"),
    Case("sentence-id-quote", TRACE, 2, At(RULE, "'a3\"1'"), rule("id: a3.1", "id: 'a3\"1'")),
    Case("sentence-id-space", TRACE, 2, At(RULE, "a3 1"), rule("id: a3.1", "id: a3 1")),
    Case("sentence-id-newline", TRACE, 2, At(RULE, '"a3\\n1"'), rule("id: a3.1", 'id: "a3\\n1"')),
    Case("sentence-id-long", TRACE, 2, At(RULE, "aaaa"), rule("id: a3.1", "id: " + "a" * 81)),
    Case("sentence-id-number", TRACE, 2, At(RULE, "3.1", after="sentences:"), rule("id: a3.1", "id: 3.1")),
    Case("sentence-id-list", TRACE, 2, At(RULE, "[a]"), rule("id: a3.1", "id: [a]")),
    Case("sentence-id-unicode", TRACE, 2, At(RULE, "å3.1"), rule("id: a3.1", "id: å3.1")),
    Case("sentence-id-md-link", TRACE, 2, At(RULE, "'[x]"), rule("id: a3.1", "id: '[x](javascript:alert(1))'")),
    Case("reading-id-img", TRACE, 2, At(READINGS, "'R12"), [(READINGS, "readings:\n", "readings:\n  - id: '" + IMG.replace("'", "''")
                                                                 + "'\n    clause: \"§3\"\n    words: x\n    question: x\n"
                                                                 "    chosen: x\n    alternatives: []\n")]),
    Case("reading-id-script", TRACE, 2, At(READINGS, "'<script>"), [(READINGS, "id: A3-vikt", f"id: '{SCRIPT}'")]),
    Case("reading-id-ampersand", TRACE, 2, At(READINGS, "A3&"), [(READINGS, "id: A3-vikt", "id: A3&vikt")]),
    Case("reading-duplicate-id", TRACE, 2, At(READINGS, "A3-vikt", after="status: decided"),
         [(READINGS, "id: A3-lika-rester", "id: A3-vikt")], "twice"),
    Case("reading-words-not-in-text", TRACE, 2, At(READINGS, "words: inte", 7),
         [(READINGS, "words: efter en vikt där", "words: inte i texten efter en vikt där")]),
    Case("reading-bad-status", TRACE, 2, At(READINGS, "maybe"), [(READINGS, "status: decided", "status: maybe")]),
    Case("reading-not-utf8", TRACE, 2, At(READINGS, "# bad", 5), [(READINGS, "readings:\n", "# bad\udce4\nreadings:\n")]),
    Case("example-name-html", TRACE, 2, At(SPEC, "'<img"), [(SPEC, "name: befolkningsdag_2024", "name: '<img src=x onerror=alert(1)>'")]),
    Case("example-name-number", TRACE, 2, At(SPEC, "name: 12", 6), [(SPEC, "name: befolkningsdag_2024", "name: 12.5")]),
    Case("invariant-name-html", TRACE, 2, At(SPEC, "'<b>x'"), [(SPEC, "name: halvar_summerar", "name: '<b>x'")]),
    Case("example-unknown-input", TRACE, 2, At(SPEC, "okand"), [(SPEC, "      avgiftsar: 2024\n", "      avgiftsar: 2024\n      okand: 1\n")]),
    Case("example-5000-digit-input", TRACE, 2, At(SPEC, "9999"), [(SPEC, "      avgiftsar: 2024\n", "      avgiftsar: " + "9" * 5000 + "\n")]),
    Case("spec-unknown-clause", TRACE, 2, At(SPEC, '"§77"'), [(SPEC, 'clause: "§3"', 'clause: "§77"')]),
    # -- expressions -------------------------------------------------------------------------------
    Case("expr-3000-unary-minus", TRACE, 2, at_expr(60), expr("-" * 3000 + "1 > 0"), "nested"),
    Case("expr-900-not", TRACE, 2, at_expr(4 * 60), expr("not " * 900 + "True")),
    Case("expr-deep-parens", TRACE, 2, at_expr(60), expr("(" * 150 + "1" + ")" * 150 + " > 0")),
    Case("expr-deep-brackets", TRACE, 2, at_expr(10 + 60), expr("befolkning" + "[" * 150 + "m" + "]" * 150)),
    Case("expr-deep-if-chain", TRACE, 2, at_expr(905), expr("1 if True else " * 200 + "1 > 0")),
    Case("expr-too-long", TRACE, 2, at_expr(-1), expr("1 + " * 1100 + "1 > 0"), "characters"),
    Case("expr-import", TRACE, 2, at_expr(), expr("__import__('os').system('ls') > 0")),
    Case("expr-dunder-chain", TRACE, 2, at_expr(), expr("().__class__.__bases__[0] > 0")),
    Case("expr-lambda", TRACE, 2, at_expr(1), expr("(lambda: 1)() > 0")),
    Case("expr-comprehension", TRACE, 2, at_expr(4), expr("sum([m for m in medlem]) > 0")),
    Case("expr-fstring", TRACE, 2, at_expr(), expr("f'{1}' == 'a'")),
    Case("expr-walrus", TRACE, 2, at_expr(1), expr("(x := 1) > 0")),
    Case("expr-power", TRACE, 2, at_expr(), expr("9 ** 9 ** 9 > 0")),
    Case("expr-float", TRACE, 2, at_expr(), expr("0.5 > 0")),
    Case("expr-attribute", TRACE, 2, at_expr(), expr("befolkning.keys > 0")),
    Case("expr-unknown-name", TRACE, 2, at_expr(), expr("befolkningen > 0"), "befolkning"),
    Case("expr-syntax", TRACE, 2, at_expr(4), expr("1 + > 0")),
    Case("expr-huge-literal", TRACE, 2, at_expr(), expr("9" * 3990 + " > 0"), "digits"),
    Case("expr-31-digit-literal", TRACE, 2, at_expr(4), expr("1 + " + "1" * 31 + " > 0"), "digits"),
    Case("expr-nested-binders", TRACE, 2, At(RULE, "forall(m0"), expr(_binders(9)), "19683"),
    Case("expr-binder-bad-head", TRACE, 2, at_expr(4), expr("sum(1, 2) > 0")),
    Case("expr-type-error", TRACE, 2, at_expr(), expr("befolkning > 0")),
    # an expression written over several lines, in every YAML scalar style: the error is at the
    # place of the offending word in the file (YAML folds and unescapes the text Python parses)
    Case("expr-plain-blank-line", TRACE, 2, At(RULE, "okand"), rule(ASSUME, "expr: (sum(m in medlem, befolkning[m]) +\n\n      okand) > 0")),
    Case("expr-plain-third-line", TRACE, 2, At(RULE, "okand"), rule(ASSUME, "expr: (sum(m in medlem, befolkning[m]) +\n      1 +\n          okand) > 0")),
    Case("expr-single-after-quotes", TRACE, 2, At(RULE, "okand"), rule(ASSUME, "expr: '(befolkning[''alfa''] > 0 and\n\n       okand)'")),
    Case("expr-double-escaped-break", TRACE, 2, At(RULE, "okand"), rule(ASSUME, 'expr: "(sum(m in medlem, befolkning[m]) > \\\n        okand)"')),
    Case("expr-double-after-escape", TRACE, 2, At(RULE, "okand"), rule(ASSUME, 'expr: "(befolkning[\\x22alfa\\"] > 0 and\n   okand)"')),
    Case("expr-literal-later-line", TRACE, 2, At(RULE, "okand"), rule(ASSUME, "expr: |\n      (sum(m in medlem, befolkning[m]) >\n          okand)")),
    Case("expr-folded-after-blank", TRACE, 2, At(RULE, "okand"), rule(ASSUME, "expr: >-\n      (sum(m in medlem, befolkning[m]) >\n\n      okand)")),
    Case("expr-flow-map-later-line", TRACE, 2, At(RULE, "okand"),
         rule("  - name: nagon_bor_i_kommunerna\n    " + ASSUME + "\n    reason: Minst en person bor i medlemskommunerna, annars",
              "  - {name: nagon_bor_i_kommunerna,\n     expr: '(sum(m in medlem, befolkning[m])\n        > okand)',\n     reason: 'Minst, annars")
         + rule("befolkningsdel att fördela.\n", "befolkningsdel att fördela.'}\n")),
    Case("expr-syntax-later-line", TRACE, 2, At(RULE, ",, 1", 1), rule(ASSUME, "expr: (sum(m in medlem, befolkning[m]) >\n      min(1,, 1))"), "syntax"),
    Case("expr-type-error-later-line", TRACE, 2, At(RULE, "0 <\n      (befolkning)"), rule(ASSUME, "expr: >\n      0 <\n      (befolkning)")),
    Case("expr-nesting-later-line", TRACE, 2, At(RULE, "(" * 60, 60), rule(ASSUME, "expr: >\n      0 <\n      " + "(" * 61 + "1" + ")" * 61), "nested"),
    Case("definition-plain-later-line", TRACE, 2, At(RULE, "okand"), rule("expr: sum(m in medlem, befolkning[m])\n", "expr: sum(m in medlem,\n\n      befolkning[m] + okand)\n")),
    Case("invariant-literal-later-line", TRACE, 2, At(SPEC, "okand"), [(SPEC, "holds: sum(m in medlem, arsandel[m]) == arsavgift",
                                                                      "holds: |\n      (sum(m in medlem, arsandel[m])\n        == okand)")]),
    # -- the agreement text ------------------------------------------------------------------------
    Case("agreement-bad-byte", TRACE, 2, At(AGREEMENT, "XYZ", 3), [(AGREEMENT, "Avgift\n", "Avgift\nXYZ\udcff\n")]),
    Case("agreement-control-char", TRACE, 2, At(AGREEMENT, "\x07"), [(AGREEMENT, "Avgift\n", "Avgift\nbell\x07\n")]),
    # -- event logs (compliance) -------------------------------------------------------------------
    Case("log-kind-list", ["compliance", LOG], 2, At(LOG, "[a, b]"), [(LOG, "kind: begaran_om_uppgifter, id: F1", "kind: [a, b], id: F1")]),
    Case("log-kind-map", ["compliance", LOG], 2, At(LOG, "{a: b}"), [(LOG, "kind: begaran_om_uppgifter, id: F1", "kind: {a: b}, id: F1")]),
    Case("log-kind-number", ["compliance", LOG], 2, At(LOG, "kind: 7", 6), [(LOG, "kind: begaran_om_uppgifter, id: F1", "kind: 7, id: F1")]),
    Case("log-kind-unknown", ["compliance", LOG], 2, At(LOG, "begaran_om_uppgift,"), [(LOG, "kind: begaran_om_uppgifter, id: F1", "kind: begaran_om_uppgift, id: F1")]),
    Case("log-id-5000-digits", ["compliance", LOG], 2, At(LOG, "9999"), [(LOG, "id: F1,", "id: " + "9" * 5000 + ",")]),
    Case("log-id-html", ["compliance", LOG], 2, At(LOG, "'<b>"), [(LOG, "id: F1,", "id: '<b>F1</b>',")]),
    Case("log-id-list", ["compliance", LOG], 2, At(LOG, "[F1]"), [(LOG, "id: F1,", "id: [F1],")]),
    Case("log-ref-unknown", ["compliance", LOG], 2, At(LOG, "  - {date: 2024-03-20", 4), [(LOG, "ref: F1}", "ref: F9}")]),
    Case("log-note-map", ["compliance", LOG], 2, At(LOG, "{a: 1}"), [(LOG, "note: fiktiv}", "note: {a: 1}}")]),
    Case("log-date-text", ["compliance", LOG], 2, At(LOG, "igår"), [(LOG, "date: 2024-03-01", "date: igår")]),
    Case("log-no-date", ["compliance", LOG], 2, At(LOG, "{kind: begaran", 0), [(LOG, "{date: 2024-03-01, kind: begaran", "{kind: begaran")]),
    Case("log-unknown-field", ["compliance", LOG], 2, At(LOG, "colour:"), [(LOG, "note: fiktiv}", "note: fiktiv, colour: red}")]),
    Case("log-unknown-field-block", ["compliance", LOG], 2, At(LOG, "colour:"),
         [(LOG, "from: 2024-01-01\nas_of: 2024-12-31\nevents:\n  - date: 2024-03-01\n    kind: verksamhetsrapport\n"
                "    colour:\n      red\n")]),
    Case("log-csv-unknown-column", ["compliance", "log.csv"], 2, At("log.csv", "colour"),
         [("log.csv", "date,kind, colour\n2024-03-01,verksamhetsrapport,red\n")]),
    Case("log-events-map", ["compliance", LOG], 2, At(LOG, "{a: 1}"), [(LOG, "from: 2024-01-01\nas_of: 2024-12-31\nevents: {a: 1}\n")]),
    Case("log-0001-to-9999", ["compliance", LOG], 2, At(LOG, "0001-01-01"),
         [(LOG, "from: 2024-01-01\nas_of: 2024-12-31", "from: 0001-01-01\nas_of: 9999-12-31")], "years"),
    Case("log-from-after-as-of", ["compliance", LOG], 2, At(LOG, "2025-06-01"), [(LOG, "from: 2024-01-01", "from: 2025-06-01")]),
    Case("log-bad-byte", ["compliance", LOG], 2, At(LOG, "as_of", 19), [(LOG, "as_of: 2024-12-31", "as_of: 2024-12-31 #\udcfe")]),
    Case("log-deep", ["compliance", LOG], 2, At(LOG, "[", 37), [(LOG, "note: fiktiv}", "note: " + "[" * 5000 + "]" * 5000 + "}")]),
    Case("log-too-large", ["compliance", LOG], 2, At(LOG, line=1), [(LOG, _big_log)], "bytes", measured=True),
    Case("log-missing-file", ["compliance", "events/nope.yaml"], 2, None, [], "nope.yaml"),
    Case("log-is-a-folder", ["compliance", "events"], 2, None, [], "folder"),
    Case("log-csv-control-char", ["compliance", "log.csv"], 2, At("log.csv", "\x02"),
         [("log.csv", "date,kind,id,medlem\n2024-03-01,begaran_om_uppgifter,F1,al\x02fa\n")]),
    Case("log-csv-too-many-cells", ["compliance", "log.csv"], 2, At("log.csv", line=2),
         [("log.csv", "date,kind,id\n2024-03-01,begaran_om_uppgifter,F1,x,y\n")]),
    Case("log-csv-bad-kind", ["compliance", "log.csv"], 2, At("log.csv", "nope"), [("log.csv", "date,kind\n2024-03-01,nope\n")]),
    Case("log-csv-bad-date", ["compliance", "log.csv"], 2, At("log.csv", "2024-13-01"), [("log.csv", "date,kind\n2024-13-01,verksamhetsrapport\n")]),
    Case("log-csv-id-html", ["compliance", "log.csv"], 2, At("log.csv", "<i>"),
         [("log.csv", "date,kind,id,medlem\n2024-03-01,begaran_om_uppgifter,<i>F1,alfa\n")]),
    Case("log-year-option-text", ["compliance", LOG, "--year", "x"], 2, None),
    # -- population CSV (compute) ------------------------------------------------------------------
    Case("pop-5000-digits", ["compute", "avgift", "--year", "2025"], 2, At(POP, "9999"), [(POP, POP_ROW, "Alfa,9901,2024-12-31," + "9" * 5000 + ",")]),
    Case("pop-negative", ["compute", "avgift", "--year", "2025"], 2, At(POP, "-5"), [(POP, POP_ROW, "Alfa,9901,2024-12-31,-5,")]),
    Case("pop-fraction", ["compute", "avgift", "--year", "2025"], 2, At(POP, "41.5"), [(POP, POP_ROW, "Alfa,9901,2024-12-31,41.5,")]),
    Case("pop-all-zero", ["compute", "avgift", "--year", "2025"], 2, At(POP, ",0,", 1, "2024-12-31"), ZERO_POP, "nagon_bor_i_kommunerna"),
    Case("pop-bad-date", ["compute", "avgift", "--year", "2025"], 2, At(POP, "2024-12-32"), [(POP, POP_ROW, "Alfa,9901,2024-12-32,4100,")]),
    Case("pop-unknown-member", ["compute", "avgift", "--year", "2025"], 2, At(POP, "Delta"), [(POP, "Alfa,9901,2024-12-31", "Delta,9901,2024-12-31")]),
    Case("pop-no-source", ["compute", "avgift", "--year", "2025"], 2, At(POP, line=5, col=27), [(POP, "Alfa,9901,2024-12-31,4100,fiktiv testdata (påhittad siffra för tests/fixtures/andra_avtalet)", "Alfa,9901,2024-12-31,4100, ")]),
    Case("pop-missing-column", ["compute", "avgift", "--year", "2025"], 2, At(POP, line=1), [(POP, "municipality,code,", "kommun,code,")]),
    Case("pop-bad-byte", ["compute", "avgift", "--year", "2025"], 2, At(POP, line=5, col=2), [(POP, "Alfa,9901,2024-12-31", "A\udcc4lfa,9901,2024-12-31")]),
    Case("pop-control-char", ["compute", "avgift", "--year", "2025"], 2, At(POP, "\x0c"), [(POP, "Alfa,9901,2024-12-31", "Al\x0cfa,9901,2024-12-31")]),
    Case("pop-empty", ["compute", "avgift", "--year", "2025"], 2, At(POP, line=1), [(POP, "")]),
    Case("pop-too-large", ["compute", "avgift", "--year", "2025"], 2, At(POP, line=1), [(POP, lambda: _big_csv(130_000))], "bytes", measured=True),
    Case("pop-given-file-missing", ["compute", "avgift", "--year", "2025", "--population", "nope.csv"], 2, None),
    Case("compute-year-5000-digits", ["compute", "avgift", "--year", "9" * 5000], 2, None),
    Case("compute-year-text", ["compute", "avgift", "--year", "förra"], 2, None),
    Case("compute-unknown-name", ["compute", "avgiften"], 2, None, [], "avgift"),
    Case("compute-output-folder", ["compute", "avgift", "--year", "2025", "--output", "rules"], 2, None, [], "folder"),
    Case("compute-output-exists", ["compute", "avgift", "--year", "2025", "--output", "README.md"], 2, None, [], "--force"),
    Case("compute-xlsx-to-stdout", ["compute", "avgift", "--year", "2025", "--format", "xlsx"], 2, None),
    Case("compute-date-far", ["compute", "uppsagning", "--dag", "9999-12-31"], 2, None),
    # -- invoices (audit) --------------------------------------------------------------------------
    Case("audit-missing-file", ["audit", "nope.csv"], 2, None),
    Case("audit-folder", ["audit", "rules"], 2, None, [], "folder"),
    Case("audit-bad-byte", ["audit", INVOICES], 2, At(INVOICES, "Alfa", 4), [(INVOICES, INVOICE_HEAD + "Alfa\udcff,2025-01-01,x,1\n")]),
    Case("audit-control-char", ["audit", INVOICES], 2, At(INVOICES, "\x03"), [(INVOICES, INVOICE_HEAD + "Alfa\x03,2025-01-01,x,1\n")]),
    Case("audit-too-large", ["audit", INVOICES], 2, At(INVOICES, line=1), [(INVOICES, lambda: INVOICE_HEAD + "Alfa,2025-01-01,x,1\n" * 300_000)],
         "bytes", measured=True),
    Case("audit-xlsx-not-zip", ["audit", "f.xlsx"], 2, At("f.xlsx", line=1), [("f.xlsx", b"PK\x03\x04 not really")]),
    Case("audit-xlsx-bomb", ["audit", "f.xlsx"], 2, At("f.xlsx", line=1), [("f.xlsx", _xlsx_bomb)], "unpacks", measured=True),
    # -- amendments (amend check stops at the first bad input, before any proof) ----------------------
    Case("amend-etc-passwd", ["amend", "check", "/etc/passwd"], 2, r"/etc/passwd:1:1", [], "mapping", private="/etc/passwd"),
    Case("compliance-etc-passwd", ["compliance", "/etc/passwd"], 2, r"/etc/passwd:1:1", [], "", private="/etc/passwd"),
    Case("audit-etc-passwd", ["audit", "/etc/passwd"], 2, r"/etc/passwd:1:1", [], "", private="/etc/passwd"),
    Case("amend-secret-text", ["amend", "check", "secret.yaml"], 2, At("secret.yaml", line=1), [("secret.yaml", SECRET)], "",
         private="secret.yaml"),
    Case("amend-id-html", ["amend", "check", AMEND], 2, At(AMEND, "'<b>"), [(AMEND, "amendment: tak-40-procent", "amendment: '<b>x</b>'")]),
    Case("amend-reading-id-img", ["amend", "check", AMEND], 2, At(AMEND, "'R12"), [(AMEND, "changes:\n", "changes:\n  - clause: \"§3\"\n"
                                                                                    "    readings:\n      - id: '" + IMG.replace("'", "''")
                                                                                    + "'\n        clause: \"§3\"\n        words: Avgiften\n"
                                                                                    "        question: x\n        chosen: x\n        alternatives: []\n")]),
    Case("amend-sentence-id-script", ["amend", "check", AMEND], 2, At(AMEND, "'<script>"), [(AMEND, "id: a8.1", f"id: '{SCRIPT}'")]),
    Case("amend-effective-text", ["amend", "check", AMEND], 2, At(AMEND, "nästa år"), [(AMEND, "effective: 2026-01-01", "effective: nästa år")]),
    Case("amend-changes-map", ["amend", "check", AMEND], 2, At(AMEND, "{a: 1}"), [(AMEND, lambda: _amendment().split("changes:")[0] + "changes: {a: 1}\n")]),
    Case("amend-unknown-clause", ["amend", "check", AMEND], 2, At(AMEND, '"§88"'), [(AMEND, 'clause: "§8"', 'clause: "§88"')]),
    Case("amend-bad-byte", ["amend", "check", AMEND], 2, At(AMEND, "title:", 6), [(AMEND, "title: Taket", "title:\udcff Taket")]),
    Case("amend-deep", ["amend", "check", AMEND], 2, At(AMEND, "[", 39), [(AMEND, "agreed_by:\n", "agreed_by: " + "[" * 3000 + "]" * 3000 + "\nx:\n")]),
    Case("amend-missing-file", ["amend", "check", "amendments/nope.yaml"], 2, None),
    Case("amend-timeout-nan", ["amend", "check", AMEND, "--timeout", "nan"], 2, None),
    Case("amend-apply-bad-id", ["amend", "apply", AMEND, "--force"], 2, At(AMEND, "'a b'"), [(AMEND, "amendment: tak-40-procent", "amendment: 'a b'")]),
    # -- data import / index -----------------------------------------------------------------------
    Case("import-deep-json", ["data", "import-population", "--retrieved", "2024-01-01", "x.json"], 2, At("x.json", "[" * 39 + "[", 39), [("x.json", _deep_json)], "nested"),
    Case("import-bad-json", ["data", "import-population", "--retrieved", "2024-01-01", "x.json"], 2, At("x.json", line=1, col=20), [("x.json", '{"version": "2.0", ')]),
    Case("import-bad-byte-csv", ["data", "import-population", "--retrieved", "2024-01-01", "x.csv"], 2, At("x.csv", '"region"', 8), [("x.csv", '"region"\udcff,"2023"\n')]),
    Case("import-unknown-encoding", ["data", "import-population", "--retrieved", "2024-01-01", "x.csv", "--encoding", "klingon"], 2, None, [("x.csv", "a,b\n")]),
    Case("import-missing", ["data", "import-population", "--retrieved", "2024-01-01", "nope.csv"], 2, None),
    Case("import-too-large", ["data", "import-population", "--retrieved", "2024-01-01", "x.csv"], 2, At("x.csv", line=1), [("x.csv", lambda: "x" * 5_100_000)], "bytes"),
    Case("index-year-text", ["data", "add-index", "--year", "x", "--change", "1%", "--title", "t", "--date", "2024-01-01",
                             "--reference", "r"], 2, None),
    # -- command-line values -----------------------------------------------------------------------
    Case("check-timeout-nan", ["check", "--timeout", "nan"], 2, None, [], "positive"),
    Case("check-timeout-negative", ["check", "--timeout=-5"], 2, None, [], "positive"),
    Case("check-timeout-zero", ["check", "--timeout", "0"], 2, None),
    Case("check-timeout-inf", ["check", "--timeout", "inf"], 2, None),
    Case("check-timeout-text", ["check", "--timeout", "lång"], 2, None),
    Case("check-unknown-clause", ["check", "--clause", "§99"], 2, None, [], "§99"),
    Case("docs-sentence-id-script", ["docs", "--output", "site"], 2, At(RULE, "'<script>"), rule("id: a3.1", f"id: '{SCRIPT}'")),
    Case("docs-amendment-reading-id-img", ["docs", "--output", "site", "--amendment", AMEND], 2, At(AMEND, "'R12"),
         [(AMEND, "changes:\n", "changes:\n  - clause: \"§3\"\n    readings:\n      - id: '" + IMG.replace("'", "''")
           + "'\n        clause: \"§3\"\n        words: Avgiften\n        question: x\n        chosen: x\n"
           "        alternatives: []\n")]),
    Case("calendar-hostile-event-id", ["calendar"], 2, At("rules/s06_uppsagning.yaml", "'<b>"),
         [("rules/s06_uppsagning.yaml", "events:\n  ", "events:\n  '<b>':\n    x: 1\n  ")]),
    Case("docs-hand-page-bad-byte", ["docs", "--output", "site"], 2, At("docs/start.md", line=1, col=3),
         [("docs/start.md", "# \udcff\n")], "0xff"),
    Case("docs-output-file", ["docs", "--output", "README.md"], 2, None, [], "file"),
    Case("docs-timeout-nan", ["docs", "--timeout", "nan"], 2, None),
    Case("docs-bad-date", ["docs", "--date", "2024-02-30"], 2, None),
    Case("calendar-0001-9999", ["calendar", "--from", "0001-01-01", "--to", "9999-12-31"], 2, None, [], "2200-12-31"),
    Case("calendar-0001-2200", ["calendar", "--from", "0001-01-01", "--to", "2200-12-31"], 2, None, [], "years"),
    Case("calendar-backwards", ["calendar", "--from", "2025-01-01", "--to", "2024-01-01"], 2, None),
    Case("calendar-bad-date", ["calendar", "--from", "2024-13-01"], 2, None),
    Case("calendar-unknown-format", ["calendar", "--format", "pdf"], 2, None),
    Case("calendar-output-folder", ["calendar", "--output", "rules"], 2, None),
    Case("compliance-year-0", ["compliance", LOG, "--year", "0"], 2, None),
    Case("compliance-year-huge", ["compliance", LOG, "--year", "99999999"], 2, None),
    Case("compliance-year-negative", ["compliance", LOG, "--year=-2024"], 2, None),
    Case("index-year-huge", ["data", "add-index", "--year", "99999999", "--change", "1%", "--title", "t",
                             "--date", "2024-01-01", "--reference", "r", "--dry-run"], 2, None),
    Case("index-change-digits", ["data", "add-index", "--year", "2025", "--change", "9" * 5000 + "%", "--title", "t",
                                 "--date", "2024-01-01", "--reference", "r", "--dry-run"], 2, None),
    Case("index-file-is-a-folder", ["data", "add-index", "--year", "2025", "--change", "1%", "--title", "t",
                                    "--date", "2024-01-01", "--reference", "r", "--file", "idx.yaml", "--dry-run"],
         2, At("idx.yaml", line=1), [("idx.yaml/inuti.txt", "en fil i en mapp med indexfilens namn\n")], "folder"),
    Case("index-file-bad-byte", ["data", "add-index", "--year", "2025", "--change", "1%", "--title", "t",
                                 "--date", "2024-01-01", "--reference", "r", "--file", "idx.yaml", "--dry-run"],
         2, At("idx.yaml", "\udcff"), [("idx.yaml", "values:\n  - year: 2024\udcff\n")], "UTF-8"),
    Case("index-file-control-char", ["data", "add-index", "--year", "2025", "--change", "1%", "--title", "t",
                                     "--date", "2024-01-01", "--reference", "r", "--file", "idx.yaml", "--dry-run"],
         2, At("idx.yaml", "\x01"), [("idx.yaml", "values:\n  - year: 20\x0124\n")], "control character"),
    Case("docs-date-year-0", ["docs", "--date", "0000-01-01"], 2, None),
    Case("main-annual-amount-digits", ["compute", "ersattning", "--year", "2022", "--annual-amount", "9" * 5000], 2, None,
         [], "", "main"),
    Case("main-invoice-amount-digits", ["audit", "f.csv", "--year", "2022", "--annual-amount", "9356000"], 2, At("f.csv", "9999"),
         [("f.csv", lambda: _invoice_with("9" * 5000))], "", "main"),
    Case("unknown-command", ["frobnicate"], 2, None),
    Case("rules-folder-missing", ["check", "--rules", "nowhere"], 2, None, [], "does not exist"),
]
