"""Part 4: reading a line of handwriting with a CRNN trained by CTC.

A 256x64 grey image is read left to right: convolutions turn each of 64 thin vertical slices into a
feature vector, two bidirectional LSTMs read that sequence, and a per-slice softmax over the
characters plus one extra "blank" class is trained with the CTC loss, which needs no alignment
between slices and characters.

Modules, one idea each:

- ``charset``    text <-> integer labels (blank = 0)
- ``ctc``        the CTC loss and the greedy / beam-search decoders, Keras 3 conventions
- ``metrics``    character and word error rates (and the misleading "positional accuracy")
- ``preprocess`` any grey image -> the model's (256, 64, 1) input
- ``model``      ``CRNNConfig`` and ``build_crnn``
- ``digits``     the prelude on scikit-learn's 8x8 handwritten digits: an LSTM reading pixels,
  and synthetic digit strings for a first CRNN

Nothing is imported here, so ``import crnn`` stays cheap (no TensorFlow until a module needs it).
"""
