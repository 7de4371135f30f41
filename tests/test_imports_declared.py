"""Every page runs with only the declared dependencies importable.

A module that is on the developer's machine but in neither requirements.txt nor pyproject.toml works
here and fails on a fresh install or on Streamlit Community Cloud (scipy, imported on demand by pandas'
Spearman correlation, broke the Validation page that way). CI builds a clean virtual environment, where
such an import fails outright; this test catches it on any machine: it runs every page in a fresh
interpreter in which every installed package outside requirements.txt's dependency closure (the test
tools, anything installed by hand) refuses to import, as if it were absent. Optional imports that a
library tries and survives (pandera tries hypothesis) keep working as on a fresh install.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["events", "methodology", "validation", "article", "dashboard"]

RUN_EVERY_PAGE = """
import importlib.abc, json, sys
blocked = set(json.loads(sys.argv[1]))

class Absent(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in blocked:
            raise ModuleNotFoundError(f"No module named {name!r} (not declared)", name=name)
        return None

sys.meta_path.insert(0, Absent())
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(sys.argv[2], default_timeout=120)
at.run()
failures = [str(e.value) for e in at.exception]
for page in json.loads(sys.argv[3]):
    at.switch_page(f"components/ui/pages/{page}.py")
    at.run()
    failures += [f"{page}: {e.value}" for e in at.exception]
print(json.dumps(failures))
"""


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared_closure() -> set[str]:
    """The distributions requirements.txt names, and everything they require in turn (markers evaluated)."""
    seen: set[str] = set()
    todo = [
        Requirement(line.split("#")[0].strip())
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.split("#")[0].strip()
    ]
    while todo:
        req = todo.pop()
        if canonical(req.name) in seen:
            continue
        seen.add(canonical(req.name))
        for spec in metadata.requires(req.name) or []:
            sub = Requirement(spec)
            if sub.marker is None or sub.marker.evaluate({"extra": ""}):
                todo.append(sub)
    return seen


def undeclared_modules() -> list[str]:
    """Top-level modules installed here whose distributions are outside the declared closure."""
    allowed = declared_closure() | {"nato-russia-index"}
    return sorted(
        module
        for module, dists in metadata.packages_distributions().items()
        if module not in sys.stdlib_module_names and not {canonical(d) for d in dists} & allowed
    )


def run_pages(blocked: list[str]) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", RUN_EVERY_PAGE, json.dumps(blocked), str(ROOT / "dashboard.py"), json.dumps(PAGES)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_every_page_runs_with_only_the_declared_packages_importable():
    blocked = undeclared_modules()
    assert "pytest" in blocked and "hypothesis" in blocked  # the test tools are not the app's
    assert run_pages(blocked) == []


def test_a_page_that_needs_an_undeclared_package_is_caught():
    # pandas is declared; pretending it is not must break the pages, or the check above proves nothing.
    assert run_pages(["pandas"]) != []


def test_the_closure_follows_requirements_transitively():
    closure = declared_closure()
    assert {"streamlit", "pandas", "numpy", "plotly", "pandera", "krippendorff"} <= closure
    assert "starlette" in closure  # Streamlit 1.67's own server: required by streamlit, named by nobody here
    assert "scipy" not in closure
