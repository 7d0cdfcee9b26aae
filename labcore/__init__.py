"""The floor every part of the lab stands on; it imports none of them.

- :mod:`labcore.cli`: one error boundary for every command line (a bad input is one line on
  stderr and exit 2, never a traceback), argument types that refuse bad numbers at the flag,
  and output paths checked before long work starts and written atomically.
"""
