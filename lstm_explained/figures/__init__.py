"""Figures for parts 1-3. Every function returns a matplotlib Figure and never shows it.

Each submodule has a ``FIGURES`` dict mapping a file stem (``01_model_comparison``) to a
zero-argument builder; ``python -m lstm_explained figures`` (``make figures``) saves them all.
Notebooks call the same plotting functions with the data they computed.
"""

from lstm_explained.figures import comparison, dimensions, sine

FIGURES = {**sine.FIGURES, **dimensions.FIGURES, **comparison.FIGURES}
