"""Read a JSON-stat 2.0 dataset, as a PxWeb API returns it (``format=json-stat2`` in PxWebApi 1,
``outputFormat=json-stat2`` in PxWebApi 2), into an :class:`~.export.Export`.

The format is the JSON-stat 2.0 Dataset Format (https://json-stat.org/full/): a root object with
``version`` ("2.0"), ``class`` ("dataset"), ``id`` (the dimension ids, in order), ``size`` (the
number of categories of each), ``dimension`` (per id: ``label`` and ``category`` with ``index``
— an array of category ids, or an object id → position — and ``label``, id → text), ``value``
(the figures in row-major order, the last dimension varying fastest; an array with nulls for
missing figures, or an object position → figure), and the optional ``label``, ``source``,
``updated``, ``role`` (``time``, ``geo``, ``metric``: lists of dimension ids), ``note`` and
``status``. PxWeb adds ``extension.px`` at the root (``tableid``, ``infofile``, ``contents``,
``decimals``, …) and ``extension.refperiod`` on a dimension (value id → the reference time, e.g.
a day of the year), as described in the PxWebApi 2 specification (``PxAPI-2.yml`` of
https://github.com/PxTools/PxApiSpecs, schemas ``Dataset``, ``extension-root`` and
``extension-dimension``) and written by PxWeb's ``JsonStat2Serializer``
(https://github.com/PxTools/PCAxis.Serializers).

Which dimension is which: the time dimension is the one ``role.time`` names (else the only one
whose category ids are all years); the area dimension is the one whose categories are the
parties (by code); every other dimension (the contents, an age or sex breakdown) must have one
category, or the figures would be ambiguous.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from avtalsregler.apps.dataimport.export import Export, Observation, matches, member_hint
from avtalsregler.apps.dataimport.text import days_named
from avtalsregler.errors import DataError, Span
from avtalsregler.language.types import EnumType
from avtalsregler.project.inputs import json_nesting, read_text

_YEAR = re.compile(r"^\d{4}$")


class _Doc:
    def __init__(self, path: str, text: str):
        self.path, self.text = path, text

    def at(self, *keys: str) -> Span:
        """The position of the last of ``keys`` (searched one after the other), else the start."""
        pos = 0
        for k in keys:
            found = self.text.find(json.dumps(k, ensure_ascii=False), pos)
            if found < 0:
                found = self.text.find(json.dumps(k), pos)
            if found < 0:
                break
            pos = found
        line = self.text.count("\n", 0, pos) + 1
        return Span(self.path, line, pos - (self.text.rfind("\n", 0, pos) + 1) + 1)


def read_jsonstat(path: str | Path, members: EnumType) -> Export:
    """The figures of a JSON-stat 2.0 dataset file, one per area and year."""
    shown = str(path)
    text = _read(path, shown)
    doc = _Doc(shown, text)
    try:
        root = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(f"not valid JSON: {exc.msg}", Span(shown, exc.lineno, exc.colno),
                        "give the file exactly as the API returned it") from None
    if not isinstance(root, dict):
        raise DataError("the file is not a JSON-stat dataset (not an object)", Span(shown, 1, 1),
                        "ask the API for json-stat2")
    if "class" not in root and any(isinstance(v, dict) and "dimension" in v for v in root.values()):
        raise DataError("this is JSON-stat 1 (datasets under a key), not JSON-stat 2.0", Span(shown, 1, 1),
                        "ask the API for json-stat2 (PxWebApi 1: response format 'json-stat2'; "
                        "PxWebApi 2: outputFormat=json-stat2)")
    if root.get("class") != "dataset":
        raise DataError(f"class is {root.get('class')!r}, not 'dataset'", doc.at("class"),
                        "give a dataset response (a table's data), not metadata or a collection")
    if str(root.get("version", "")) != "2.0":
        raise DataError(f"version is {root.get('version')!r}, not '2.0'", doc.at("version"),
                        "ask the API for json-stat2")
    ids, sizes, dims = _structure(root, doc)
    cats = {d: _categories(dims[d], d, doc) for d in ids}
    for d, n in zip(ids, sizes, strict=True):
        if len(cats[d]) != n:
            raise DataError(f"dimension {d!r} has {len(cats[d])} categories but size says {n}",
                            doc.at("dimension", d), "give the file exactly as the API returned it")
    time = _time_dimension(root, ids, cats, doc)
    area = _area_dimension(ids, cats, dims, time, members, doc)
    for d in ids:
        if d not in (time, area) and len(cats[d]) != 1:
            labels = ", ".join(repr(_label(dims[d], c)) for c in cats[d][:6])
            raise DataError(f"dimension {d!r} ({dims[d].get('label', d)}) has {len(cats[d])} categories "
                            f"({labels}); the figures per area and year are ambiguous", doc.at("dimension", d),
                            "select a single value for it (its total), or leave the variable out of the query")
    values = _values(root, sizes, doc)
    obs = []
    strides = [1] * len(ids)
    for k in range(len(ids) - 2, -1, -1):
        strides[k] = strides[k + 1] * sizes[k + 1]
    vspan = doc.at("value")
    for ai, acode in enumerate(cats[area]):
        for ti, tcode in enumerate(cats[time]):
            if not _YEAR.match(tcode):
                raise DataError(f"the time category {tcode!r} is not a year", doc.at("dimension", time, tcode),
                                "import a table with one figure a year")
            pos = ai * strides[ids.index(area)] + ti * strides[ids.index(time)]
            obs.append(Observation(_area_text(dims[area], acode), int(tcode), _whole(values.get(pos), pos, vspan),
                                   vspan, doc.at("dimension", area, acode)))
    return Export(shown, "json-stat2", _table(root), _text(root.get("source")), _contents(root, ids, dims, time, area),
                  _days(root, dims), obs, str(dims[area].get("label", area)),
                  [n for n in root.get("note", []) if isinstance(n, str)] if isinstance(root.get("note"), list) else [])


def _read(path, shown: str) -> str:
    text = read_text(path, shown, error=DataError, what="the export")
    json_nesting(text, shown)
    return text


def _structure(root: dict, doc: _Doc):
    ids, sizes, dims = root.get("id"), root.get("size"), root.get("dimension")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids) or not ids:
        raise DataError("'id' must be a list of dimension ids", doc.at("id"), "see https://json-stat.org/full/#id")
    if not isinstance(sizes, list) or len(sizes) != len(ids) or not all(isinstance(s, int) and s >= 0 for s in sizes):
        raise DataError("'size' must list one whole number per dimension in 'id'", doc.at("size"),
                        "see https://json-stat.org/full/#size")
    if not isinstance(dims, dict) or any(not isinstance(dims.get(i), dict) for i in ids):
        missing = [i for i in ids if not isinstance((dims or {}).get(i), dict)] if isinstance(dims, dict) else ids
        raise DataError(f"'dimension' lacks {', '.join(map(repr, missing))}", doc.at("dimension"),
                        "every id in 'id' needs an entry in 'dimension'")
    return ids, sizes, dims


def _categories(dim: dict, d: str, doc: _Doc) -> list[str]:
    cat = dim.get("category")
    if not isinstance(cat, dict):
        raise DataError(f"dimension {d!r} has no category", doc.at("dimension", d), "see https://json-stat.org/full/#category")
    index, label = cat.get("index"), cat.get("label")
    if isinstance(index, list):
        return [str(c) for c in index]
    if isinstance(index, dict):
        return [k for k, _ in sorted(index.items(), key=lambda kv: kv[1])]
    if isinstance(label, dict) and len(label) == 1:
        return list(label)
    raise DataError(f"dimension {d!r} has no category index", doc.at("dimension", d, "category"),
                    "see https://json-stat.org/full/#index")


def _label(dim: dict, code: str) -> str:
    lab = (dim.get("category") or {}).get("label") or {}
    return str(lab.get(code, code)) if isinstance(lab, dict) else code


def _area_text(dim: dict, code: str) -> str:
    label = _label(dim, code)
    if not code.isdigit() or label == code:
        return label
    return label if label.split(" ", 1)[0] == code else f"{code} {label}"


def _time_dimension(root: dict, ids, cats, doc: _Doc) -> str:
    role = root.get("role") if isinstance(root.get("role"), dict) else {}
    named = [t for t in (role.get("time") or []) if t in ids]
    if named:
        return named[0]
    years = [d for d in ids if cats[d] and all(_YEAR.match(c) for c in cats[d])]
    if len(years) != 1:
        raise DataError("cannot tell the time dimension" + (f" ({', '.join(years)} all look like years)" if years else ""),
                        doc.at("id"), "the file's 'role' should name it ('time'); give the file the API returned")
    return years[0]


def _area_dimension(ids, cats, dims, time: str, members: EnumType, doc: _Doc) -> str:
    scored = [(matches(members, [_area_text(dims[d], c) for c in cats[d]]), d) for d in ids if d != time]
    best = max(scored, default=(0, ""))
    if best[0] == 0:
        raise DataError("no dimension of the file has the parties among its categories", doc.at("dimension"),
                        member_hint(members) + "; select them in the query")
    return best[1]


def _values(root: dict, sizes, doc: _Doc) -> dict[int, Any]:
    total = 1
    for s in sizes:
        total *= s
    v = root.get("value")
    if isinstance(v, list):
        if len(v) != total:
            raise DataError(f"'value' has {len(v)} figures but the sizes give {total}", doc.at("value"),
                            "give the file exactly as the API returned it")
        return dict(enumerate(v))
    if isinstance(v, dict):
        try:
            return {int(k): x for k, x in v.items()}
        except ValueError:
            raise DataError("'value' as an object must have positions as keys", doc.at("value"),
                            "see https://json-stat.org/full/#value") from None
    raise DataError("the dataset has no 'value'", doc.at("value") if "value" in root else Span(doc.path, 1, 1),
                    "see https://json-stat.org/full/#value")


def _whole(x: Any, pos: int, span: Span) -> int | None:
    if x is None:
        return None
    if isinstance(x, bool) or not isinstance(x, (int, float)) or x < 0 or x != int(x):
        raise DataError(f"figure {pos} of 'value' is {x!r}, not a whole number of persons", span,
                        "import a table of counts (no rates, no decimals)")
    return int(x)


def _text(x: Any) -> str | None:
    return " ".join(x.split()) if isinstance(x, str) and x.strip() else None


def _px(root: dict) -> dict:
    ext = root.get("extension")
    px = ext.get("px") if isinstance(ext, dict) else None
    return px if isinstance(px, dict) else {}


def _table(root: dict) -> str | None:
    px = _px(root)
    tid, info = _text(px.get("tableid")), _text(px.get("infofile"))
    if tid and info and info != tid:
        return f"{tid} ({info})"
    return tid or info


def _contents(root: dict, ids, dims, time: str, area: str) -> str | None:
    role = root.get("role") if isinstance(root.get("role"), dict) else {}
    for d in [m for m in (role.get("metric") or []) if m in ids] + [d for d in ids if d not in (time, area)]:
        cats = _categories(dims[d], d, _Doc("", ""))
        if len(cats) == 1 and d in (role.get("metric") or []):
            return _text(_label(dims[d], cats[0]))
    return _text(_px(root).get("contents")) or _text(root.get("label"))


def _days(root: dict, dims: dict) -> set[tuple[int, int]]:
    texts: list[str] = [root.get("label"), _px(root).get("contents"), _px(root).get("description")]
    for dim in dims.values():
        lab = (dim.get("category") or {}).get("label")
        if isinstance(lab, dict):
            texts += list(lab.values())
        ext = dim.get("extension")
        ref = ext.get("refperiod") if isinstance(ext, dict) else None
        if isinstance(ref, dict):
            texts += list(ref.values())
    return days_named(texts)
