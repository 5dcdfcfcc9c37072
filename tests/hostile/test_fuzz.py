"""Fuzzing the front ends with Hypothesis: random bytes and random mutations of the bundled
files through the YAML loader and the whole project loader (via the CLI), and random token
soup through the expression parser. Never a traceback: either a result or an
:class:`AvtalsreglerError` with a place, and the CLI exits 0, 1 or 2. The number of examples
is bounded (about 10 s in all)."""

from __future__ import annotations

import contextlib
import importlib
import io
import shutil

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from avtalsregler.errors import AvtalsreglerError, ExprError, Span
from avtalsregler.language.expr import Scope
from avtalsregler.language.functions import BUILTINS
from avtalsregler.language.parser import parse_expr
from avtalsregler.language.types import BOOL, INT, MONEY, EnumType, Type
from avtalsregler.project.source import load_yaml

from ..conftest import ROOT

cli = importlib.import_module("avtalsregler.cli.main")
ANDRA = ROOT / "tests" / "fixtures" / "andra_avtalet"
FILES = ["rules/s03_avgift.yaml", "rules/s02_parter.yaml", "specs/s03_avgift.yaml", "readings/a03_avgift.yaml",
         "rules/s06_uppsagning.yaml", "agreement/overenskommelse.txt"]
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                         HealthCheck.too_slow])
YAML_BITS = ["[", "]", "{", "}", ":", ": ", "- ", "\n", "  ", "'", '"', "&a ", "*a", "!!python/object ", "? ", "#",
             "<<: ", "---\n", "9" * 40, "0x" + "f" * 40, "2024-02-30", "\t", "\x00", "\udcff", "§", "å", "|", ">"]


@st.composite
def mutated(draw):
    """A bundled file with a few random edits: a slice deleted, duplicated, or replaced by YAML
    punctuation, random text or a random byte."""
    rel = draw(st.sampled_from(FILES))
    data = (ANDRA / rel).read_bytes()
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(data)))
        j = min(len(data), i + draw(st.integers(0, 40)))
        how = draw(st.sampled_from(["delete", "duplicate", "bits", "text", "byte"]))
        if how == "delete":
            data = data[:i] + data[j:]
        elif how == "duplicate":
            data = data[:j] + data[i:j] + data[j:]
        elif how == "bits":
            piece = "".join(draw(st.lists(st.sampled_from(YAML_BITS), max_size=6)))
            data = data[:i] + piece.encode("utf-8", "surrogateescape") + data[j:]
        elif how == "text":
            data = data[:i] + draw(st.text(max_size=20)).encode("utf-8", "surrogatepass") + data[j:]
        else:
            data = data[:i] + bytes([draw(st.integers(0, 255))]) + data[i:]
    return rel, data


def _main(argv) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(argv)
    return code, err.getvalue()


@FAST
@given(data=st.binary(max_size=400))
def test_random_bytes_through_the_yaml_loader(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("y") / "x.yaml"
    path.write_bytes(data)
    try:
        load_yaml(path)
    except AvtalsreglerError as exc:
        assert exc.span is None or exc.span.path == str(path)


@FAST
@given(text=st.lists(st.sampled_from(YAML_BITS + list("abc12 ,")), max_size=40).map(lambda s: "a: " + "".join(s)))
def test_random_yaml_punctuation_through_the_yaml_loader(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("y") / "x.yaml"
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    try:
        load_yaml(path)
    except AvtalsreglerError as exc:
        assert exc.span is not None and exc.span.line >= 1 and exc.span.col >= 1


@FAST
@given(case=mutated())
def test_mutated_bundled_files_through_the_cli(tmp_path_factory, case):
    rel, data = case
    root = tmp_path_factory.mktemp("p") / "p"
    shutil.copytree(ANDRA, root)
    (root / rel).write_bytes(data)
    code, err = _main(["--root", str(root), "trace"])
    assert code in (0, 1, 2), err
    assert "Traceback" not in err and "internal error" not in err, err


ENUMS = {"omrade": EnumType("omrade", ("a", "b", "c"), {"a": "A", "b": "B", "c": "C"}, "§4", Span("x", 1, 1))}
SCOPE = Scope({"belopp": MONEY, "antal": INT, "flagga": BOOL, "per_omrade": Type("map", enum="omrade", elem=MONEY)},
              ENUMS, BUILTINS)
TOKENS = ["belopp", "antal", "flagga", "per_omrade", "omrade", "k", "a", "'a'", "1", "0", "9" * 35, "+", "-", "*", "/",
          "//", "%", "**", "(", ")", "[", "]", ",", "<", "==", "and", "or", "not", "if", "else", "in", "sum(",
          "forall(", "per(", "min(", "max(", "lambda", ":", "__class__", ".", "True", "1.5", "f'", "{", "}", "@", "\n"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=30))
def test_random_token_soup_through_the_expression_parser(tokens):
    try:
        parse_expr(" ".join(tokens), Span("rules/x.yaml", 3, 9), None, SCOPE)
    except ExprError as exc:
        assert exc.span is not None and exc.span.path == "rules/x.yaml"


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["-", "not ", "(", "[", "sum(k in omrade, ", "forall(k in omrade, "]), st.integers(50, 3000))
def test_deep_expressions_fail_with_a_place(op, n):
    closing = {"(": ")", "[": "]", "sum(k in omrade, ": ")", "forall(k in omrade, ": ")"}.get(op, "")
    text = (op * n + "1" + closing * n)[:4000]
    try:
        parse_expr(text, Span("rules/x.yaml", 3, 9), None, SCOPE)
    except ExprError as exc:
        assert exc.span is not None
