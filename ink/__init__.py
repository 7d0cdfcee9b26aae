"""Handwriting as data: pen strokes (online ink) and scanned words (offline images).

Every line of online handwriting is a float32 (T, 3) array of ``(end_of_stroke, dx, dy)`` rows,
the layout of IAM-OnDB's ``strokes-py3.npy``. The modules, one concept each:

* ``strokes``   -- the format and its three views: offsets, absolute points, list of strokes;
* ``loaders``   -- reading/writing ``strokes-py3.npy`` + ``sentences.txt``; the Kaggle names CSV
  and its images; errors that name the file and say where the data comes from;
* ``iamondb``   -- raw IAM-OnDB XML -> the strokes format (``python -m ink prepare``);
* ``normalize`` -- offset statistics (normalise / invert), resampling, smoothing, slant and
  baseline estimation;
* ``synthetic`` -- the synthetic writer: text -> pen strokes that look handwritten;
* ``hershey``   -- single-stroke glyphs from the Hershey fonts;
* ``capitals``  -- the hand-printed capitals the fonts lack;
* ``omniglot``  -- real human letters (Omniglot's Latin alphabet) for the writer's human hand;
* ``text``      -- what the writer writes: the character set, English-like lines, names;
* ``render``    -- pen strokes -> a grey image, plain or like a scanned form;
* ``draw``      -- pen strokes drawn with matplotlib or as SVG;
* ``dataset``   -- a generated data set, cached and split by writer; where real data lives;
* ``stats``     -- statistics that tell handwriting from a font, synthetic against real;
* ``figures``   -- the ``00_*`` figures;
* ``bench``     -- synthetic-vs-real statistics and generation speed;
* ``config``    -- fast mode (``LAB_FAST``), from :mod:`labcore.config`.

Nothing is imported here, so ``import ink`` stays cheap: import the module you need,
e.g. ``from ink.strokes import offsets_to_strokes``.
"""
