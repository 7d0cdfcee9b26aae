"""Part 4's figures draw what they are given: the CTC alignment's panels share pixel columns,
and the digit models' accuracies are drawn from 0."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from crnn.figures import plot_alignment, plot_digit_models
from labcore.charset import BLANK, Charset


def test_the_alignment_panels_share_one_axis_in_pixel_columns():
    charset = Charset("AB ")
    image = np.full((64, 256), 255, dtype=np.uint8)  # (H, W)
    path = np.full(64, BLANK)  # (T,) best class per frame
    path[[10, 11, 20, 40]] = [1, 1, 3, 2]  # "A" over frames 10-11, " " at 20, "B" at 40
    logits = np.eye(charset.num_classes)[path] * 5.0  # (T, C)
    fig = plot_alignment(image, logits, charset, title="t")
    ax_img, ax_chr, ax_p = fig.axes[:3]
    for ax in (ax_img, ax_chr, ax_p):
        assert ax.get_xlim() == (0, 256)
    fig.canvas.draw()  # the image spans the same screen columns as the panels below it
    assert ax_img.get_position().x0 == ax_p.get_position().x0
    assert ax_img.get_position().x1 == ax_p.get_position().x1
    letters = {(t.get_text(), t.get_position()[0]) for t in ax_chr.texts}
    # at frame centres, (t + 0.5) * 4 pixel columns; a space is drawn as a visible sign
    assert letters == {("A", 42.0), ("A", 46.0), ("\u2423", 82.0), ("B", 162.0)}
    plt.close(fig)


def test_digit_accuracies_are_drawn_from_zero():
    fig = plot_digit_models({"pixel LSTM": 0.98, "MLP": 0.97, "CNN": 0.99}, {1: 0.1, 8: 0.98})
    assert isinstance(fig, Figure)
    left, right = fig.axes
    assert left.get_ylim()[0] == 0 and right.get_ylim()[0] == 0
    plt.close(fig)
