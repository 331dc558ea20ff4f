"""Layers import downward only (house style habit 2).

``text`` (characters) sits just under ``sgml`` (structure): the document model hands out
clean text, so it may use the text layer, never the reverse. ``cli`` is the very top.
"""

import ast
from pathlib import Path

import workbench

PKG = Path(workbench.__file__).parent
RANK = {"sources": 1, "text": 2, "sgml": 3, "forms": 4, "frames": 5, "analytics": 6,
        "charts": 7, "ui": 7, "pipeline": 7, "reports": 8, "cli": 9}  # fmt: skip
SHARED = {"errors", "provenance", "settings", "log", "sample", "version", "vocab", "form_types",
          "display"}  # fmt: skip


def _layer(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "workbench" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in RANK else None


def test_no_upward_imports():
    bad = []
    for path in PKG.rglob("*.py"):
        rel = path.relative_to(PKG).with_suffix("")
        here = rel.parts[0] if rel.parts[0] in RANK else None
        if here is None:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "workbench":
                # the top level re-exports every layer: importing it is importing them all
                bad.append(f"{rel}: imports the top-level package (from workbench import ...)")
            if isinstance(node, ast.ImportFrom) and node.module:
                target = _layer(node.module)
                if target and RANK[target] > RANK[here]:
                    bad.append(f"{rel}: imports {node.module}")
                if target and RANK[target] == RANK[here] and target != here and here != "ui":
                    bad.append(f"{rel}: sideways import {node.module}")
    assert not bad, bad


def test_shared_modules_import_stdlib_or_each_other_only():
    for name in ("errors", "provenance", "vocab", "form_types", "display"):
        tree = ast.parse((PKG / f"{name}.py").read_text())
        mods = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]
        assert all(not m.startswith("workbench") for m in mods), mods


def test_edgar_addresses_are_built_in_one_module():
    # house style habit 3: a URL to EDGAR is spelt only in sources/edgar_urls.py
    import re

    spelt = [
        str(path.relative_to(PKG))
        for path in PKG.rglob("*.py")
        if path.name != "edgar_urls.py" and re.search(r"https?://[\w.]*sec\.gov", path.read_text())
    ]
    assert spelt == [], spelt
