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


def _tree(node):
    """A loaded tree as plain data with every span (start, end, and a key's own)."""
    spans = (str(node.span), str(node.end), str(node.__dict__.get("key_span", "")))
    if node.is_map():
        return spans, {k: _tree(v) for k, v in node.items()}
    if node.is_list():
        return spans, [_tree(v) for v in node.value]
    return spans, node.value, node.style


def test_libyaml_and_pure_python_give_the_same_tree_and_spans(monkeypatch):
    """Every YAML file of the project read with libyaml (when PyYAML has it) and with PyYAML's
    own parser: the same values and the same spans, also on lines with å, ä and ö."""
    import yaml

    from avtalsregler.project import source
    from tests.conftest import ROOT

    files = sorted(p for d in ("rules", "specs", "readings", "amendments") for p in (ROOT / d).rglob("*.yaml"))
    assert len(files) > 20
    fast = [_tree(load_yaml(p)) for p in files]
    monkeypatch.setattr(source, "LOADER", yaml.SafeLoader)
    slow = [_tree(load_yaml(p)) for p in files]
    assert fast == slow
    if hasattr(yaml, "CSafeLoader"):
        assert source.LOADER is yaml.SafeLoader   # (patched); the module's choice was libyaml's
        import importlib
        assert importlib.reload(source).LOADER is yaml.CSafeLoader


def test_syntax_errors_keep_pure_python_messages():
    """libyaml's messages differ; an error is read again with PyYAML's parser for its message."""
    with pytest.raises(SourceError) as info:
        load("a:\n\tb: 1\n")
    assert "'\\t'" in info.value.message and info.value.span.line == 2
