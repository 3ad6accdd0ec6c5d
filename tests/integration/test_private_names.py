"""No module uses a private name (`_name`) of a module in another package."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"


def test_no_private_name_crosses_a_package():
    crossings = []
    for path in sorted((SRC / "kith").rglob("*.py")):
        module = ".".join(path.relative_to(SRC).with_suffix("").parts)
        package = module.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith("kith"):
                continue
            source_package = node.module.rsplit(".", 1)[0] if node.module else ""
            for alias in node.names:
                private = alias.name.startswith("_") and not alias.name.startswith("__")
                if private and source_package != package and node.module != package:
                    crossings.append(f"{module} imports {node.module}.{alias.name}")
    assert crossings == []
