"""Parts 1-3: what an LSTM is, on a sine wave, by its dimensions, and against a feed-forward net.

- ``series``     the source tutorial's two time series, their noise kept apart
- ``windows``    a 1-D series -> supervised windows (samples, timesteps, features)
- ``forecast``   one-step forecasts: baselines, the source LSTM and a better one
- ``numpy_lstm`` an LSTM in NumPy that reads Keras's weights, equal to Keras to 1e-5
- ``params``     how many parameters an LSTM has, checked on reference models
- ``gates``      the gate activations and cell state of a small trained LSTM over time
- ``cudnn``      when Keras runs an LSTM on cuDNN, and what a configuration costs on a CPU
- ``compare``    LSTM against a feed-forward net, compared fairly
- ``memory``     a task where memory matters: recall the digit marked k steps ago
- ``figures``    the ``01_*``, ``02_*`` and ``03_*`` figures (one submodule per notebook)
- ``bench``      the comparisons of notebooks 01 and 03 in one table
- ``config``     fast mode (``LAB_FAST``), from :mod:`labcore.config`

Nothing is imported here, so ``import lstm_explained`` stays cheap.
"""
