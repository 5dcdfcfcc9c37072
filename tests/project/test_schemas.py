"""The JSON Schemas in schemas/ accept every bundled rule, spec, register and amendment, refuse
broken ones, and name the same keys as the loaders (so editor validation and the tool agree)."""

from __future__ import annotations

import datetime
import json

import jsonschema
import pytest

from avtalsregler.apps.amend import amendment as amend
from avtalsregler.project import load
from avtalsregler.project.source import load_yaml

from ..conftest import ROOT

SCHEMAS = {name: json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
           for name in ("rule", "spec", "readings", "amendment")}
FOLDERS = {"rules": "rule", "specs": "spec", "readings": "readings", "amendments": "amendment"}
MALFORMED = {"amendments/trasig.yaml"}


def _json(value):
    """A YAML value as an editor's YAML language server sees it (dates are strings)."""
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _files():
    for folder, schema in FOLDERS.items():
        for p in sorted((ROOT / folder).glob("*.yaml")):
            yield f"{folder}/{p.name}", schema


@pytest.mark.parametrize("rel,schema", list(_files()), ids=[r for r, _ in _files()])
def test_bundled_files_validate(rel, schema):
    data = _json(load_yaml(ROOT / rel).plain())
    errors = list(jsonschema.Draft202012Validator(SCHEMAS[schema], format_checker=jsonschema.FormatChecker())
                  .iter_errors(data))
    if rel in MALFORMED:
        assert errors, f"{rel} is the malformed example and must not validate"
    else:
        assert not errors, [f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors]


def test_schemas_are_valid_json_schema():
    for s in SCHEMAS.values():
        jsonschema.Draft202012Validator.check_schema(s)


def test_schema_keys_match_the_loaders():
    assert set(SCHEMAS["rule"]["properties"]) == set(load.RULE_KEYS)
    a = SCHEMAS["amendment"]["properties"]
    assert set(a) == set(amend.AMENDMENT_KEYS) | set(amend.AMENDMENT_OPTIONAL)
    change = a["changes"]["items"]["properties"]
    rule = change["rule"]["properties"]
    assert set(rule) == set(amend.RULE_SECTIONS) | set(amend.RULE_SCALARS)
    for sec, (_kind, selectors, allowed) in amend.RULE_SECTIONS.items():
        assert set(rule[sec]["items"]["properties"]) == {*selectors, *allowed, *amend.ITEM_META}, sec
    for sec, (_kind, selectors, allowed) in amend.SPEC_SECTIONS.items():
        assert set(change["spec"]["properties"][sec]["items"]["properties"]) == {*selectors, *allowed, *amend.ITEM_META}, sec


@pytest.mark.parametrize("mutate,why", [
    (lambda d: d.pop("agreed_by"), "no agreed_by"),
    (lambda d: d.update(effective="första januari"), "effective not a date"),
    (lambda d: d["changes"][0].update(clause="12"), "clause without §"),
    (lambda d: d["changes"][0].update(rule={"parameters": [{"value": "60%"}]}), "parameter item without selector"),
    (lambda d: d["changes"][0].update(rule={"parameters": [{"name": "a", "quoting": "b"}]}), "two selectors"),
    (lambda d: d["changes"][0].update(spec={"invariants": [{"name": "x", "hold": "true"}]}), "typo in invariant"),
])
def test_amendment_schema_refuses(mutate, why):
    data = _json(load_yaml(ROOT / "amendments/tak_60_procent.yaml").plain())
    mutate(data)
    v = jsonschema.Draft202012Validator(SCHEMAS["amendment"], format_checker=jsonschema.FormatChecker())
    assert list(v.iter_errors(data)), why
