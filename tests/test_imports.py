"""Imports point down: errors < language < project < prover < apps < cli. Parsed with ``ast`` (no
module is imported), so a lazy import inside a function counts too."""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT

SRC = ROOT / "src" / "avtalsregler"
LAYERS = ("errors", "language", "project", "prover", "apps", "cli")


ENTRY_POINTS = ("__main__.py",)      # 'python -m avtalsregler': the command line's own entry, above it


def _imports(path: Path, package: str | None = None) -> list[tuple[int, str]]:
    """Every module ``path`` imports, absolute (relative imports resolved against its package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = package or ".".join(("avtalsregler", *path.relative_to(SRC).parent.parts))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            out.append((node.lineno, name))
            out += [(node.lineno, f"{name}.{a.name}") for a in node.names]
    return out


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "avtalsregler" else None


def _modules() -> list[Path]:
    found = sorted(SRC.rglob("*.py"))
    assert len(found) > 50 and any(p.parts[-2] == "cli" for p in found)     # the walk sees the tree
    return found


def test_nothing_outside_cli_imports_the_cli():
    bad = [f"{p.relative_to(ROOT)}:{line}: imports {name}" for p in _modules()
           if p.relative_to(SRC).parts[0] not in ("cli", *ENTRY_POINTS) for line, name in _imports(p) if _layer(name) == "cli"]
    assert not bad, "\n".join(bad)


def test_the_check_finds_an_upward_import(tmp_path):
    probe = tmp_path / "probe.py"                     # as if it were avtalsregler/apps/export/probe.py
    probe.write_text("from avtalsregler.cli.output import emit\nimport avtalsregler.cli.main\n"
                     "from ...cli import main\nfrom . import xlsx\n", encoding="utf-8")
    found = _imports(probe, "avtalsregler.apps.export")
    assert [_layer(n) for _, n in found] == ["cli", "cli", "cli", "cli", "cli", "apps", "apps"]
    assert ("avtalsregler.cli", 3) == (found[3][1], found[3][0])


def test_layers_import_only_downwards():
    bad = []
    for p in _modules():
        rel = p.relative_to(SRC)
        own = rel.parts[0].removesuffix(".py")
        if own not in LAYERS:
            continue                                  # api.py, __init__.py, __main__.py: the top
        for line, name in _imports(p):
            layer = _layer(name)
            if layer in LAYERS and LAYERS.index(layer) > LAYERS.index(own):
                bad.append(f"{rel}:{line}: {own} imports {name}")
    assert not bad, "\n".join(bad)
