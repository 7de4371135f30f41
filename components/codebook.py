"""The codebook: the scale, the categories and their default weights, presets.

Read from ``data/codebook.toml``; everything that scores or weights an event
is defined there, so that a reviewer sees it in one diff.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from components.paths import CODEBOOK_TOML


@dataclass(frozen=True)
class Anchor:
    score: int
    label: str
    meaning: str
    examples: str


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    weight: float
    description: str


@dataclass(frozen=True)
class Band:
    name: str
    low: float
    high: float


@dataclass(frozen=True)
class Preset:
    key: str
    label: str
    description: str
    weights: Mapping[str, float]


@dataclass(frozen=True)
class EngineDefaults:
    baseline: float
    half_life_months: float
    structural_weight: float
    squash_width: float
    band_spread: float
    band_draws: int


@dataclass(frozen=True)
class Codebook:
    version: str
    scale_min: int
    scale_max: int
    scale_description: str
    anchors: tuple[Anchor, ...]
    categories: Mapping[str, Category]
    persistence_description: str
    date_rules: tuple[str, ...]
    adding_steps: tuple[str, ...]
    engine: EngineDefaults
    bands: tuple[Band, ...]
    presets: Mapping[str, Preset]

    @property
    def category_keys(self) -> tuple[str, ...]:
        return tuple(self.categories)

    @property
    def category_labels(self) -> dict[str, str]:
        return {key: cat.label for key, cat in self.categories.items()}

    @property
    def default_weights(self) -> dict[str, float]:
        return {key: cat.weight for key, cat in self.categories.items()}

    def band_of(self, value: float) -> str:
        """Name of the band that holds ``value`` (the upper edge belongs to the band above)."""
        for band in self.bands:
            if band.low <= value < band.high:
                return band.name
        return self.bands[-1].name if value >= self.bands[-1].high else self.bands[0].name


def load_codebook(path: Path = CODEBOOK_TOML) -> Codebook:
    """Parse the codebook TOML file into a :class:`Codebook`."""
    with open(path, "rb") as handle:
        raw = tomllib.load(handle)
    categories = {
        key: Category(key, spec["label"], float(spec["weight"]), spec["description"])
        for key, spec in raw["categories"].items()
    }
    presets = {
        key: Preset(key, spec["label"], spec["description"],
                    {k: float(v) for k, v in spec["weights"].items()})
        for key, spec in raw.get("presets", {}).items()
    }
    for preset in presets.values():
        unknown = set(preset.weights) - set(categories)
        missing = set(categories) - set(preset.weights)
        if unknown or missing:
            raise ValueError(f"preset {preset.key!r}: unknown {sorted(unknown)}, missing {sorted(missing)}")
    eng = raw["engine"]
    return Codebook(
        version=str(raw["version"]),
        scale_min=int(raw["scale"]["min"]),
        scale_max=int(raw["scale"]["max"]),
        scale_description=raw["scale"]["description"].strip(),
        anchors=tuple(Anchor(int(a["score"]), a["label"], a["meaning"], a["examples"])
                      for a in raw["scale"]["anchors"]),
        categories=categories,
        persistence_description=raw["persistence"]["description"].strip(),
        date_rules=tuple(raw["dates"]["rules"]),
        adding_steps=tuple(raw["adding"]["steps"]),
        engine=EngineDefaults(
            baseline=float(eng["baseline"]),
            half_life_months=float(eng["half_life_months"]),
            structural_weight=float(eng["structural_weight"]),
            squash_width=float(eng["squash_width"]),
            band_spread=float(eng["band_spread"]),
            band_draws=int(eng["band_draws"]),
        ),
        bands=tuple(Band(b["name"], float(b["low"]), float(b["high"])) for b in raw["bands"]),
        presets=presets,
    )
