"""The floor every part of the lab stands on; it imports none of them.

- :mod:`labcore.cli`: one error boundary for every command line (a bad input is one line on
  stderr and exit 2, never a traceback), argument types that refuse bad numbers at the flag,
  and output paths checked before long work starts and written atomically.
- :mod:`labcore.config`: fast mode (``LAB_FAST=1``), read the same way by every part.
- :mod:`labcore.results`: the README's results table, composed from the parts' bench JSON.
"""
