"""Parts 5 and 6: reading handwriting from pen strokes, and (next) writing it.

- ``features``    pen offsets -> per-point features a recognizer reads
- ``recognizer``  stacked Bi-LSTMs + CTC over strokes, with the source's optional residual
  connections, self-attention and focal CTC loss

Nothing is imported here, so ``import synthesis`` stays cheap.
"""
