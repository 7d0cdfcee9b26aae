"""Parts 5 and 6: reading handwriting from pen strokes, and writing it (Graves, 2013).

Part 5, reading (the charset, CTC, metrics and training harness come from :mod:`labcore`):

- ``features``    pen offsets -> per-point features a recognizer reads
- ``recognizer``  stacked Bi-LSTMs + CTC over strokes, with the source's optional residual
  connections, self-attention and focal CTC loss
- ``recognition`` its data, training, reading and scoring; the shipped recognizer
- ``ablation``    the source's enhancements and augmentation, each measured as one change

Part 6, writing:

- ``mdn``         the mixture density output: where the pen goes next
- ``attention``   the soft window over the text: which letter the pen is writing
- ``network``     the prediction and synthesis networks as Keras models
- ``training``    their data and training loop, resumable at the exact step
- ``sampling``    writing with a trained network, one point at a time in NumPy
- ``legibility``  write, then read back with part 5's recognizer

Both parts:

- ``figures``     the ``05_*`` and ``06_*`` figures
- ``bench``       the targets of parts 5 and 6, measured with the shipped models
- ``recipes``     the commands that made each shipped weight file (``python -m synthesis recipe``)
- ``demo``        a local web page: write a line, have it read, have texts written in your hand

Nothing is imported here, so ``import synthesis`` stays cheap.
"""
