"""Handwriting as data: pen strokes (online ink) and scanned words (offline images).

Every line of online handwriting is a float32 (T, 3) array of ``(end_of_stroke, dx, dy)`` rows,
the layout of IAM-OnDB's ``strokes-py3.npy``. The modules, one concept each:

* ``strokes``   -- the format and its three views: offsets, absolute points, list of strokes;
* ``loaders``   -- reading/writing ``strokes-py3.npy`` + ``sentences.txt``; the Kaggle names CSV
  and its images; errors that name the file and say where the data comes from;
* ``iamondb``   -- raw IAM-OnDB XML -> the strokes format (``python -m ink prepare``);
* ``normalize`` -- offset statistics (normalise / invert), resampling, smoothing, slant and
  baseline estimation;
* ``synthetic``, ``hershey``, ``text``, ``render``, ``draw`` -- synthetic handwriting from
  Hershey single-stroke fonts, for when the real data set is not at hand;
* ``dataset``, ``stats``, ``figures``, ``bench`` -- batches for models, statistics comparing
  synthetic with real ink, the figures, and the benchmark;
* ``config`` -- fast mode (``LAB_FAST``), shared with the notebooks and tests.

Nothing is imported here, so ``import ink`` stays cheap: import the module you need,
e.g. ``from ink.strokes import offsets_to_strokes``.
"""
