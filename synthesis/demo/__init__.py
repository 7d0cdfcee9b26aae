"""Write in your own hand: a local web page over the recognizer (part 5) and the writer (part 6).

``python -m synthesis demo`` (or ``make demo``) starts it on http://127.0.0.1:8765/. You write a
line with a mouse, pen or finger; the page reads it (greedy and beam CTC decoding, with the
letter each frame reads drawn along the trace) and writes any text in your hand or in a
synthetic writer's, drawing the pen path as it goes.

- ``pointer``  pointer samples from the page -> a ``(T, 3)`` line, the way IAM-OnDB's are made
- ``app``      the Flask routes: they convert and display, and call the same functions as the
  command lines and notebooks (``prepare`` / ``predict_logits`` / ``decode_lines``,
  ``HandWriter.generate``, ``save_line``)
- ``static/``  the page: plain HTML, JavaScript and CSS, shipped with the package (no CDN)

Nothing is imported here, so ``import synthesis.demo`` stays cheap.
"""
