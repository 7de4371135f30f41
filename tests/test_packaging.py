"""The project's wiring: dependencies agree, pure modules stay pure, data resolves from the code."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PURE_MODULES = sorted(p for p in (ROOT / "components").glob("*.py"))


def _requirements() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = re.split(r"==", line)
            pins[name.strip().lower()] = version.strip()
    return pins


def test_requirements_agree_with_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {}
    for spec in project["dependencies"]:
        name, version = spec.split("==")
        declared[name.strip().lower()] = version.strip()
    assert declared == _requirements()


def test_streamlit_is_pinned_to_1_67():
    assert _requirements()["streamlit"].startswith("1.67.")


@pytest.mark.parametrize("path", PURE_MODULES, ids=lambda p: p.name)
def test_pure_modules_never_import_streamlit(path):
    tree = ast.parse(path.read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
            if node.module.startswith("components.ui"):
                imported.add("components.ui")
    assert "streamlit" not in imported and "components.ui" not in imported


def test_pure_package_imports_without_streamlit_loaded():
    code = (
        "import sys, importlib, pkgutil, components\n"
        "for m in pkgutil.iter_modules(components.__path__):\n"
        "    if m.name != 'ui': importlib.import_module('components.' + m.name)\n"
        "assert 'streamlit' not in sys.modules, [k for k in sys.modules if 'streamlit' in k][:3]\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_data_resolves_from_the_code_not_the_working_directory(tmp_path):
    code = "from components.dataset import load_dataset; print(len(load_dataset().events))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": ""},
    )
    assert int(out.stdout) > 0


def test_upload_limit_is_configured():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert 1 <= config["server"]["maxUploadSize"] <= 10


def test_no_message_is_cached_by_reference():
    """Streamlit's message cache races with quick reruns (Cached ForwardMsg MISS, issue 27): it is off."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["global"]["minCachedMessageSize"] >= 10**12
