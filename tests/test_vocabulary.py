"""The codebook is the one vocabulary: nothing in ``components/`` writes it again as a literal.

``data/codebook.toml`` says that nothing in it is stated anywhere else in the code. This test makes that true:
it reads every module under ``components/`` (its code, not its docstrings or comments) and fails on

- the persistence kinds as strings ("shock", "state", "structural");
- the confidence levels: "medium" anywhere, "high" and "low" where a value is compared with them (they also
  name the band's and the panel's columns, which are not the vocabulary);
- the coders' vocabulary: "adjudicated" and the codings file's columns and comparisons ("score_a", "note_b",
  "coder_b", ...);
- the scale's ends: a negative 10 or ±10.5 as a number, and a signed 10 ("−10", "+10", "±10") in a string.

``components/codebook.py`` reads the vocabulary and is not searched. Anything else is listed below, with why.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from components import engine
from components.codebook import CodebookError, _build, load_codebook

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted(p for p in (ROOT / "components").rglob("*.py") if p.name != "codebook.py")

PERSISTENCE_WORDS = {"shock", "state", "structural"}
CONFIDENCE_WORDS = {"high", "medium", "low"}
CODER_WORDS = {"adjudicated"} | {f"{c}_{k}" for c in ("score", "persistence", "note", "coder") for k in "ab"}
SIGNED_TEN = re.compile(r"(?<![\w-])[-−+±]10(?!\d|\.\d)")  # not a date's "2021-10"

# (file, literal): why it may stay. Keep this short: a new entry needs a reason a reviewer accepts.
ALLOWED = {
    ("engine.py", "shock"): "engine.PERSISTENCES: the kinds the engine implements; the loader checks the codebook's",
    ("engine.py", "state"): "the engine's own terms for the kinds it implements (PERSISTENCES, _terms)",
    ("engine.py", "structural"): "the engine's own terms for the kinds it implements (PERSISTENCES, _terms)",
    ("ui/pages/dashboard.py", "medium"): "st.columns(gap='medium'): Streamlit's spacing, not a confidence level",
}


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the nodes that are docstrings (an expression statement that is only a string)."""
    return {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
    }


def vocabulary_literals(path: Path) -> list[tuple[int, str]]:
    """(line, literal) for each place ``path`` writes the codebook's vocabulary."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    compared = {
        id(side) for node in ast.walk(tree) if isinstance(node, ast.Compare) for side in [node.left, *node.comparators]
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and id(node) not in skip:
            value = node.value
            if isinstance(value, str):
                if value in PERSISTENCE_WORDS | CODER_WORDS | {"medium"}:
                    found.append((node.lineno, value))
                elif value in CONFIDENCE_WORDS and id(node) in compared:
                    found.append((node.lineno, value))
                elif SIGNED_TEN.search(value):
                    found.append((node.lineno, SIGNED_TEN.search(value).group()))
            elif isinstance(value, (int, float)) and not isinstance(value, bool) and value == 10.5:
                found.append((node.lineno, "10.5"))
        elif (
            isinstance(node, ast.UnaryOp)
            and isinstance(node.op, ast.USub)
            and isinstance(node.operand, ast.Constant)
            and node.operand.value in (10, 10.0)
        ):
            found.append((node.lineno, "-10"))
    return found


def test_no_module_writes_the_codebooks_vocabulary_again():
    written = []
    for path in MODULES:
        name = path.relative_to(ROOT / "components").as_posix()
        written += [
            f"components/{name}:{line}: {literal!r}"
            for line, literal in vocabulary_literals(path)
            if (name, literal) not in ALLOWED
        ]
    assert not written, "the codebook's vocabulary written as a literal (read it from the codebook):\n" + "\n".join(
        written
    )


def test_every_allowance_is_still_needed():
    """An allowance nothing uses any more is removed, so the list stays the short list of exceptions."""
    used = set()
    for path in MODULES:
        name = path.relative_to(ROOT / "components").as_posix()
        used |= {(name, literal) for _, literal in vocabulary_literals(path)}
    assert set(ALLOWED) <= used, sorted(set(ALLOWED) - used)


def test_the_search_finds_what_it_is_for(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""A docstring may say shock, −10 and +10."""\n'
        'KINDS = ("shock", "state")\n'
        'if confidence == "low":\n    pass\n'
        'band = {"low": 1, "high": 2}\n'
        "ok = -10 <= score <= 10\n"
        'text = f"from −10 to {x}"\n'
        'column = "score_b"\n'
    )
    found = sorted(vocabulary_literals(sample))
    assert found == [(2, "shock"), (2, "state"), (3, "low"), (6, "-10"), (7, "−10"), (8, "score_b")]


def _raw() -> dict:
    import tomllib

    return tomllib.loads((ROOT / "data" / "codebook.toml").read_text(encoding="utf-8"))


def test_a_confidence_level_without_a_score_error_is_refused():
    raw = _raw()
    raw["confidence"]["levels"].append("guess")
    with pytest.raises(CodebookError, match=r"\['guess'\] have no score error: add each to \[engine\] score_sd"):
        _build(raw)


def test_a_score_error_for_no_level_is_refused():
    raw = _raw()
    raw["engine"]["score_sd"]["certain"] = 0.1
    with pytest.raises(CodebookError, match="score_sd names \\['certain'\\], which are not \\[confidence\\] levels"):
        _build(raw)


def test_the_persistence_kinds_are_the_engines():
    raw = _raw()
    raw["persistence"]["kinds"] = ["shock", "state", "structural", "cycle"]
    with pytest.raises(CodebookError, match="must be the ones the engine implements"):
        _build(raw)
    assert load_codebook().persistence.kinds == engine.PERSISTENCES


def test_the_scale_ends_are_the_engines():
    raw = _raw()
    raw["scale"]["max"] = 7
    with pytest.raises(CodebookError, match=r"\[scale\] min and max must be"):
        _build(raw)
    codebook = load_codebook()
    assert (codebook.scale_min, codebook.scale_max) == (-engine.SCALE_MAX, engine.SCALE_MAX)


def test_defaults_name_a_kind_a_level_and_two_coders():
    raw = _raw()
    raw["persistence"]["default"] = "event"
    raw["confidence"]["default"] = "sure"
    raw["coders"]["c"] = {"name": "C", "label": "Coding C", "compare_label": "Defaults, coding C's scores"}
    with pytest.raises(CodebookError) as err:
        _build(raw)
    message = str(err.value)
    assert "[persistence] default 'event'" in message
    assert "[confidence] default 'sure'" in message
    assert "[coders] must name two coders" in message


def test_the_codebooks_top_says_what_the_test_makes_true():
    top = (ROOT / "data" / "codebook.toml").read_text(encoding="utf-8").split("\n\n")[0]
    assert "Nothing here is stated" in top and "anywhere else in the code" in top


def test_no_dataclass_default_contradicts_the_codebook(codebook):
    """The engine's parameters and the view's state take the model's values from the codebook: a field either
    has no default or its default is the codebook's (a default of 1.0 for p while the codebook said another)."""
    import dataclasses

    from components import settings

    built = {
        engine.Params: engine.Params.from_codebook(codebook),
        settings.ViewState: settings.defaults(codebook),
    }
    for cls, from_codebook in built.items():
        model_fields = {s.field.partition(".")[0] for s in settings.registry(codebook) if s.model} | {
            f.name for f in dataclasses.fields(engine.Params)
        }
        for f in dataclasses.fields(cls):
            if f.name not in model_fields:
                continue  # a view setting (years, markers, the selected event): the codebook says nothing of it
            default = (
                f.default
                if f.default is not dataclasses.MISSING
                else f.default_factory()
                if f.default_factory is not dataclasses.MISSING
                else dataclasses.MISSING
            )
            if default is dataclasses.MISSING or default == {}:
                continue  # no default, or an empty mapping (every weight 1, the codebook's default)
            assert default == getattr(from_codebook, f.name), (cls.__name__, f.name, default)
