"""The floor every part of the lab stands on; it imports none of them.

- :mod:`labcore.cli`: one error boundary for every command line (a bad input is one line on
  stderr and exit 2, never a traceback), argument types that refuse bad numbers at the flag,
  and output paths checked before long work starts and written atomically.
- :mod:`labcore.config`: fast mode (``LAB_FAST=1``), read the same way by every part.
- :mod:`labcore.figures`: ``save_figures``, the PNG writer behind every ``figures`` command.
- :mod:`labcore.results`: the README's results table, composed from the parts' bench JSON.
- :mod:`labcore.recipes`: how a shipped weight file was made, as data (``Stage``), and the
  runner behind ``python -m crnn|synthesis recipe``.

What both CTC models (part 4's CRNN, part 5's stroke recognizer) share:

- :mod:`labcore.charset`: text <-> integer labels, the blank at 0.
- :mod:`labcore.ctc`: the CTC loss, greedy and beam-search decoding, frames a label needs.
- :mod:`labcore.metrics`: character and word error rates, the CER's standard error, word accuracy.
- :mod:`labcore.weights`: weight files and their JSON sidecars, loaded with every array checked.
- :mod:`labcore.training`: output checks, strategy, best-epoch checkpoints, the resumable fit.
"""
