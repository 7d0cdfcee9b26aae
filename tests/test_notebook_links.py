"""The notebooks teach before they run: every committed figure is embedded in the notebook that
makes it, and every figure a notebook embeds exists in figures/."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
FIGURES = REPO / "figures"
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))

# ![alt](../figures/STEM.png) in a markdown cell; the notebooks live one folder below the root
LINK = re.compile(r"!\[[^\]]*\]\(\.\./figures/([^)\s]+)\)")
# a row of the table in figures/README.md: | `STEM.png` | what it shows | notebook |
LISTED = re.compile(r"^\|\s*`([^`]+)\.png`\s*\|", re.MULTILINE)

# Figures listed in figures/README.md that no notebook embeds, each with the reason. Empty today:
# every committed figure is drawn by a notebook cell. Add an entry only for a figure that no
# notebook makes (e.g. one drawn for the README alone), and say why.
NOT_IN_A_NOTEBOOK: dict[str, str] = {}


def links(path: Path) -> list[str]:
    """The file names of figures/ that a notebook's markdown cells embed, in order."""
    nb = nbformat.read(path, as_version=4)
    return [
        name
        for cell in nb.cells
        if cell.cell_type == "markdown"
        for name in LINK.findall(cell.source)
    ]


def listed_stems() -> list[str]:
    return LISTED.findall((FIGURES / "README.md").read_text(encoding="utf-8"))


def test_the_readme_lists_figures():
    assert listed_stems(), "no `NAME.png` rows found in figures/README.md's table"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_embedded_figure_exists(path):
    missing = [name for name in links(path) if not (FIGURES / name).is_file()]
    assert not missing, f"{path.name} embeds figures that are not in figures/: {missing}"


@pytest.mark.parametrize("stem", listed_stems())
def test_every_listed_figure_is_embedded_in_the_notebook_that_makes_it(stem):
    """A figure's stem starts with its notebook's number (05_ablation: notebook 05)."""
    if stem in NOT_IN_A_NOTEBOOK:
        pytest.skip(f"{stem}: {NOT_IN_A_NOTEBOOK[stem]}")
    number = stem.split("_", 1)[0]
    owners = [p for p in NOTEBOOKS if p.stem.split("_", 1)[0] == number]
    assert owners, f"{stem}.png: no notebook numbered {number} in notebooks/"
    embedded_by = [p.name for p in NOTEBOOKS if f"{stem}.png" in links(p)]
    assert any(p.name in embedded_by for p in owners), (
        f"figures/{stem}.png is listed in figures/README.md but {owners[0].name} does not embed "
        f"it (embedded by: {embedded_by or 'no notebook'}); add "
        f"'![what it shows](../figures/{stem}.png)' next to the cell that draws it, or list it "
        "in NOT_IN_A_NOTEBOOK with the reason"
    )


def test_the_allow_list_is_not_stale():
    listed = set(listed_stems())
    linked = {name.removesuffix(".png") for p in NOTEBOOKS for name in links(p)}
    stale = {s for s in NOT_IN_A_NOTEBOOK if s not in listed or s in linked}
    assert not stale, f"NOT_IN_A_NOTEBOOK names figures that are unlisted or embedded: {stale}"
