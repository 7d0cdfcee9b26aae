"""Part 4: reading a line of handwriting with a CRNN trained by CTC.

A 256x64 grey image is read left to right: convolutions turn each of 64 thin vertical slices into a
feature vector, two bidirectional LSTMs read that sequence, and a per-slice softmax over the
characters plus one extra "blank" class is trained with the CTC loss, which needs no alignment
between slices and characters.

Modules, one idea each (the charset, CTC, metrics and training harness it shares with part 5
live in :mod:`labcore`):

- ``data``       the data sets (synthetic names, digit strings, Kaggle scans) as ``ImageSet``
- ``preprocess`` any grey image -> the model's (256, 64, 1) input
- ``model``      ``CRNNConfig`` and ``build_crnn``
- ``train``      train, evaluate and read images; the shipped weights and their sidecars
- ``bulk``       the shipped names recipe: a large synthetic set, trained on any Keras backend
- ``recipes``    the commands that made each shipped weight file (``python -m crnn recipe``)
- ``digits``     the prelude on scikit-learn's 8x8 digits: an LSTM reading pixels, digit strings
- ``figures``    the ``04_*`` figures
- ``bench``      the part-4 targets, measured with the shipped weights

Nothing is imported here, so ``import crnn`` stays cheap (no TensorFlow until a module needs it).
"""
