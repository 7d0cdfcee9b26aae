"""`make figures`, in fast mode and into a temporary folder, writes exactly the figures that
figures/README.md lists: the commands are read from the Makefile, so the test runs what
`make figures` runs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# a row of the table in figures/README.md: | `STEM.png` | what it shows | notebook |
LISTED = re.compile(r"^\|\s*`([^`]+\.png)`\s*\|", re.MULTILINE)


def figure_commands() -> list[list[str]]:
    """The `figures:` recipe of the Makefile, one `$(PY) -m PACKAGE figures --out figures` line
    per package, as argument lists."""
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^figures:.*\n((?:\t.*\n)+)", text, re.MULTILINE)
    assert recipe, "the Makefile has no figures target"
    commands = []
    for line in recipe.group(1).splitlines():
        match = re.fullmatch(r"\t\$\(PY\) -m (\w+) figures --out figures", line)
        assert match, f"a figures step this test does not know how to run: {line.strip()!r}"
        commands.append([sys.executable, "-m", match.group(1), "figures"])
    return commands


def test_the_makefile_draws_every_part():
    packages = [cmd[2] for cmd in figure_commands()]
    assert packages == ["lstm_explained", "ink", "crnn", "synthesis"]


@pytest.mark.slow
def test_make_figures_in_fast_mode_writes_every_listed_figure(tmp_path):
    env = {**os.environ, "LAB_FAST": "1"}
    for command in figure_commands():
        done = subprocess.run(
            [*command, "--out", str(tmp_path)],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, f"{' '.join(command[1:])}:\n{done.stderr[-3000:]}"
    listed = set(LISTED.findall((REPO / "figures" / "README.md").read_text(encoding="utf-8")))
    written = {p.name for p in tmp_path.glob("*.png")}
    assert listed - written == set(), "listed in figures/README.md but not drawn"
    assert written - listed == set(), "drawn but not listed in figures/README.md"
    committed = {p.name for p in (REPO / "figures").glob("*.png")}
    assert committed == listed, "figures/ holds other PNGs than its README lists"
    for name in written:
        assert (tmp_path / name).stat().st_size > 5_000, f"{name} is (nearly) empty"
