"""Untrusted YAML is refused with a position and a hint, never constructed into objects."""

from __future__ import annotations

import pytest

from avtalsregler.errors import SchemaError, SourceError
from avtalsregler.project.source import YFloat, fields, load_yaml


def load(text):
    return load_yaml("f.yaml", text)


@pytest.mark.parametrize("text,message,line", [
    ("a: [1, 2\n", "YAML syntax error", 2),
    ("a: 1\na: 2\n", "duplicate key 'a' (first given at line 1)", 2),
    ("a: &x [1]\nb: *x\n", "anchors and aliases are not allowed", 1),
    ("a: !!python/object/apply:os.system ['echo hi']\n", "tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed", 1),
    ("a: !custom 1\n", "tag '!custom' is not allowed", 1),
    ("<<: {a: 1}\n", "merge keys", 1),
    ("a: 2020-01-01 10:00:00\n", "has a time of day", 1),
    ("", "file is empty", 1),
])
def test_refused(text, message, line):
    with pytest.raises(SourceError) as info:
        load(text)
    assert message in info.value.message
    assert info.value.span.line == line
    assert info.value.format().startswith(f"f.yaml:{line}:")


def test_billion_laughs_refused_before_expansion():
    bomb = "a: &a ['x','x','x','x','x','x','x','x','x']\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n" for i in range(8))
    with pytest.raises(SourceError, match="anchors and aliases"):
        load(bomb)


def test_values_and_spans():
    n = load("x: 1\ny: 1.5\nz: 2021-11-01\nw: 'text'\n")
    assert n.value["x"].value == 1
    assert isinstance(n.value["y"].value, YFloat)
    assert str(n.value["z"].value) == "2021-11-01"
    assert (n.value["w"].span.line, n.value["w"].span.col) == (4, 4)


def test_unknown_key_with_suggestion():
    n = load("titel: x\n")
    with pytest.raises(SchemaError) as info:
        fields(n, "a rule file", optional=("title", "clause"))
    assert "unknown key 'titel'" in info.value.message and "did you mean 'title'" in info.value.hint
    assert info.value.span.line == 1
