"""The layer rules, as tests: data flows files → events → settings → series → figure → page."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PURE = sorted((ROOT / "components").glob("*.py"))
UI = sorted((ROOT / "components" / "ui").glob("*.py"))
PAGES = sorted((ROOT / "components" / "ui" / "pages").glob("*.py"))


def imports(path: Path) -> set[str]:
    """Every module a file imports, as dotted names (``from a import b`` gives a and a.b)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_pages_do_not_import_pages(page):
    assert not {n for n in imports(page) if n.startswith("components.ui.pages")}


@pytest.mark.parametrize("path", UI + PAGES, ids=lambda p: p.name)
def test_the_ui_does_not_call_the_engine_directly(path):
    """Every number a page shows comes through the pure layer (components.view, robustness, wording, dataset),
    where it is tested."""
    assert "components.engine" not in imports(path)


@pytest.mark.parametrize("path", [p for p in PURE if p.name not in ("url_state.py", "export.py")], ids=lambda p: p.name)
def test_compute_does_not_import_the_url_codec(path):
    """The settings model lives in components.settings; only the codec and the CLI read links."""
    assert "components.url_state" not in imports(path)


def test_every_page_is_one_script():
    """Pages are their own scripts, not wrappers around a body kept elsewhere."""
    assert not list((ROOT / "components" / "ui").glob("page_*.py"))
    for page in PAGES:
        assert len(page.read_text().splitlines()) > 15, page.name
