"""Text <-> integer labels for CTC, with the blank at index 0.

CTC adds one class that is not a character: the **blank**. At every time step the network may
emit "no character here"; that is how it leaves gaps between letters and how it spells a double
letter ("LL" must be emitted as ``L blank L``, otherwise the two ``L`` frames merge into one).
Both CTC models of the lab (part 4's CRNN, part 5's stroke recognizer) follow the Keras 3
convention: the blank is class 0, so the characters of ``Charset("ABC")`` get the ids 1, 2, 3
and the model's last layer has ``num_classes = 4`` units.
Because 0 never names a character, it also serves as the padding value of a label batch.

    >>> cs = Charset("ABC")
    >>> cs.encode("CAB").tolist(), cs.num_classes
    ([3, 1, 2], 4)
    >>> cs.decode([3, 0, 1, 2, 0, 0])
    'CAB'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

BLANK = 0  # CTC blank and label padding (Keras 3: keras.ops.ctc_loss(..., mask_index=0))


class Charset:
    """An ordered set of characters; character ``chars[i]`` has label ``i + 1``."""

    def __init__(self, chars: str):
        if not chars:
            raise ValueError("Charset: expected at least one character, got an empty string")
        dupes = sorted({c for c in chars if chars.count(c) > 1})
        if dupes:
            raise ValueError(f"Charset: expected distinct characters, got duplicates {dupes}")
        self.chars = chars
        self._ids = {c: i + 1 for i, c in enumerate(chars)}

    @property
    def num_classes(self) -> int:
        """Units of the model's output layer: every character plus the blank."""
        return len(self.chars) + 1

    def __len__(self) -> int:
        return len(self.chars)

    def __repr__(self) -> str:
        return f"Charset({self.chars!r})"

    def unknown(self, text: str) -> list[str]:
        """The distinct characters of ``text`` outside the charset, in order of appearance."""
        return list(dict.fromkeys(c for c in text if c not in self._ids))

    def encode(self, text: str) -> np.ndarray:
        """``text`` -> int32 labels in 1..n; raises ValueError naming every unknown character."""
        bad = self.unknown(text)
        if bad:
            raise ValueError(
                f"encode({text!r}): characters {bad} are not in the charset {self.chars!r}"
            )
        return np.array([self._ids[c] for c in text], dtype=np.int32)

    def decode(self, ids: Iterable[int]) -> str:
        """Labels -> text; 0 (blank / padding) and negative values (-1 padding) are skipped."""
        n = len(self.chars)
        out = []
        for i in ids:
            i = int(i)
            if i > n:
                raise ValueError(f"decode: label {i} is outside 0..{n} for {self!r}")
            if i > BLANK:
                out.append(self.chars[i - 1])
        return "".join(out)

    def pad_labels(self, texts: Sequence[str], max_len: int) -> tuple[np.ndarray, np.ndarray]:
        """Texts -> ``labels`` (B, max_len) int32 padded with 0 and ``label_lengths`` (B,) int32."""
        too_long = [t for t in texts if len(t) > max_len]
        if too_long:
            raise ValueError(
                f"pad_labels: expected texts of at most {max_len} characters, "
                f"got {len(too_long)} longer ones, e.g. {too_long[0]!r}"
            )
        labels = np.full((len(texts), max_len), BLANK, dtype=np.int32)
        lengths = np.zeros(len(texts), dtype=np.int32)
        for row, text in enumerate(texts):
            ids = self.encode(text)
            labels[row, : len(ids)] = ids
            lengths[row] = len(ids)
        return labels, lengths
