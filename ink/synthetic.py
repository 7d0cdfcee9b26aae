"""A synthetic writer: text -> pen strokes that look handwritten, in the IAM-OnDB format.

:func:`write` builds a line in five steps, each one undoing a way in which a font is not a hand:

1. **layout** -- Hershey single-stroke glyphs (:mod:`ink.hershey`) placed one after the other,
   each a little bigger, smaller, higher or lower than the last (per-glyph jitter); a cursive
   writer joins the letters of a word with pen-down connectors and dots the i's and crosses
   the t's after the word, as people do;
2. **smoothing** -- the polyline corners of the font are rounded off;
3. **geometry** -- the writer's slant (a shear), a baseline that tilts and drifts, and a smooth
   elastic deformation (a low-frequency random displacement field), different on every line;
4. **timing** -- the pen path is sampled at equal *time* steps with a speed that varies
   smoothly: slow at the start and end of a stroke and in tight curves (speed ~ curvature^-1/3,
   the "two-thirds power law" of human movement), fast on straight runs;
5. **digitising** -- coordinates are rounded to the 0.05-unit grid of IAM-OnDB and turned into
   ``(end_of_stroke, dx, dy)`` offsets.

A :class:`WriterStyle` holds everything that stays fixed for one writer (font, slant, size,
spacing, speed, ...); ``WriterStyle.from_seed(writer)`` draws it from the writer's seed, so
the same writer writes every line in the same hand, and ``write(text, writer, line_seed)`` is
fully determined by its three arguments.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from functools import cache, lru_cache

import numpy as np

from ink.capitals import VARIANTS, pick_variants
from ink.hershey import CURSIVE_FONTS, PRINT_FONTS, load_font
from ink.omniglot import LETTERS as HUMAN_LETTERS
from ink.omniglot import N_DRAWERS, human_glyphs
from ink.strokes import points_to_offsets, strokes_to_offsets
from ink.text import check_text, random_name

HANDS = ("human", "font")
CURVE_RADIUS = 3.0  # IAM-OnDB units: a pen at its writer's ``speed`` x 1.25 on this curve
GRID = 0.05  # IAM-OnDB resolution: whiteboard units / 20
DENSE_STEP = 0.04  # x-heights between points of the dense path (before timing)


@dataclass(frozen=True)
class WriterStyle:
    """One writer's hand. Lengths are in x-heights (the height of "a") unless said otherwise."""

    font: str  # a Hershey font from ink.hershey.FONTS
    cursive: bool  # join the letters of a word with pen-down connectors
    join_prob: float  # share of letter pairs a cursive writer joins (the rest: a pen lift)
    slant: float  # degrees from vertical, positive leaning right (as ink.normalize)
    size: float  # x-height in IAM-OnDB units
    width: float  # horizontal scale of every glyph
    ascender: float  # height of ascenders and descenders relative to the font's
    letter_spacing: float  # extra space after each letter
    word_spacing: float  # width of a space
    baseline_drift: float  # amplitude of the baseline's slow wander
    elastic: float  # amplitude of the elastic displacement field
    jitter: float  # per-glyph relative size / position noise
    speed: float  # IAM-OnDB units per time step on a straight run
    # capitals this writer forms its own way: (letter, variant) pairs, see ink.capitals
    capitals: tuple[tuple[str, int], ...] = ()
    # lowercase letters this writer forms as a person did: (letter, Omniglot drawer) pairs,
    # see ink.omniglot; the other letters keep the font's form
    human: tuple[tuple[str, int], ...] = ()
    variety: float = 0.0  # chance that one letter is written in another person's form
    # share of i-dots, t-bars (short strokes of a letter) added after the word; None: the
    # fonts' rule (a cursive hand all of them, a print hand none)
    delay: float | None = None
    # pen speed ~ curvature^-beta (the power law of human movement); 0: the fonts' hand's
    # milder (1 + 4 curvature)^(-1/3)
    beta: float = 0.0
    letter_slant: float = 0.0  # degrees: standard deviation of each letter's own extra slant
    letter_width: float = 0.0  # standard deviation of the log of each letter's own width
    tremor: float = (
        0.0  # x-heights: RMS of a pen's small unsteadiness (a wobble ~0.3 x-height long)
    )

    @classmethod
    def from_seed(cls, writer: int, kind: str = "sentences", hand: str = "human") -> WriterStyle:
        """The style of writer number ``writer`` (any int >= 0); ``kind="names"`` draws a
        print writer of spaced capitals, like the names on the scanned Kaggle forms.

        ``hand="human"`` (sentences only) gives the writer human letter forms and habits
        (:func:`_human_traits`); ``hand="font"`` is the writer of the fonts alone, as the
        shipped handwriting networks were trained on."""
        if kind not in ("sentences", "names"):
            raise ValueError(f"kind must be 'sentences' or 'names', got {kind!r}")
        if hand not in HANDS:
            raise ValueError(f"hand must be one of {HANDS}, got {hand!r}")
        rng = np.random.default_rng([int(writer), 20240611])
        cursive = bool(rng.random() < 0.7) and kind == "sentences"
        font = str(rng.choice(CURSIVE_FONTS if cursive else PRINT_FONTS))
        names = kind == "names"
        style = cls(
            font=font,
            cursive=cursive,
            join_prob=float(
                rng.uniform(0.6, 0.95) if cursive else rng.uniform(0.4, 0.8) * (not names)
            ),
            slant=float(np.clip(rng.normal(4.0, 8.0), -12.0, 25.0)),
            size=float(rng.uniform(7.0, 9.0)),
            width=float(rng.uniform(0.55, 0.72) if cursive else rng.uniform(0.45, 0.62)),
            ascender=float(rng.uniform(0.6, 0.85)),
            letter_spacing=float(
                rng.uniform(0.6, 1.9) if names else rng.uniform(-0.05, 0.15) * (1 + (not cursive))
            ),
            word_spacing=float(rng.uniform(1.0, 2.0)),
            baseline_drift=float(rng.uniform(0.05, 0.3)),
            elastic=float(rng.uniform(0.03, 0.08)),
            jitter=float(rng.uniform(0.03, 0.08)),
            speed=float(rng.uniform(0.75, 1.05)),
            # from a stream of its own, so every other trait stays what it was
            capitals=tuple(
                sorted(pick_variants(np.random.default_rng([writer, 20240611, 5])).items())
            )
            if names
            else (),
        )
        if hand == "human" and not names:
            style = replace(style, **_human_traits(writer, style))
        return style

    def to_dict(self) -> dict:
        return asdict(self)


def _human_traits(writer: int, style: WriterStyle) -> dict:
    """What a person's hand has that the fonts lack, drawn from a stream of the writer's own
    (so the font traits of writer ``writer`` are the same in both hands): for a share of the
    lowercase letters (a fifth to all of them) the form one Omniglot person drew, a small
    chance per letter of another person's form; dots and bars added after the word by some
    writers, some of the time; a speed-curvature exponent near 1/3; letters wider than the
    fonts', each letter with a slant and width of its own around the writer's, and the
    hand-printed capitals of :mod:`ink.capitals`."""
    rng = np.random.default_rng([int(writer), 20240611, 11])
    share = rng.uniform(0.2, 1.0)
    human = tuple((c, int(rng.integers(N_DRAWERS))) for c in HUMAN_LETTERS if rng.random() < share)
    return {
        "human": human,
        "variety": float(rng.uniform(0.0, 0.15)),
        "delay": float(rng.uniform(0.1, 0.8) if style.cursive else rng.uniform(0.0, 0.3)),
        "beta": float(rng.uniform(0.32, 0.48)),
        "letter_slant": float(rng.uniform(1.0, 6.0)),
        "letter_width": float(rng.uniform(0.03, 0.12)),
        "tremor": float(rng.uniform(0.005, 0.02)),
        "width": style.width * float(rng.uniform(0.9, 1.45)),
        "capitals": tuple(sorted(pick_variants(rng).items())),
    }


def write(
    text: str, writer: int = 0, line_seed: int = 0, style: WriterStyle | None = None
) -> np.ndarray:
    """Write ``text`` in the hand of ``writer`` -> float32 (T, 3) ``(end_of_stroke, dx, dy)``.

    ``style`` defaults to ``WriterStyle.from_seed(writer)``; ``line_seed`` picks this line's
    share of randomness (jitter, drift, deformation, speed), so two lines of one writer differ
    in detail but not in style. Characters outside :data:`ink.text.CHARSET` raise ValueError.
    """
    check_text(text)
    if not text.strip():
        raise ValueError("write: text must hold at least one visible character")
    style = WriterStyle.from_seed(writer) if style is None else style
    rng = np.random.default_rng([int(writer), int(line_seed), 7])
    strokes = _layout(text, style, rng)  # list of (n, 2) in x-heights, y up
    # From here on a line is one Path: all points (N, 2) plus the stroke each belongs to.
    path = _Path.of(strokes).resample(DENSE_STEP).smooth(sigma=1.5)
    path = _deform(path, style, rng)
    # The pen is timed along the path the hand means; the wobble is only in what is recorded.
    shaky = _tremor(path, style.tremor, rng) if style.tremor > 0 else path
    path = _Path(path.xy * style.size, path.lengths)  # -> IAM-OnDB units
    shaky = _Path(shaky.xy * style.size, shaky.lengths)
    path = _pen_timing(path, style.speed, rng, style.beta, record=shaky)
    xy = np.round(path.xy / GRID) * GRID  # the digitiser's grid
    eos = np.zeros(len(xy))
    eos[np.cumsum(path.lengths) - 1] = 1.0
    return points_to_offsets(np.column_stack([xy, eos]))


def write_neighbours(writer: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Two lines a form's name field has above and below it, for
    :func:`ink.render.render_form_crop`: each a date of birth (eight digits) or another name,
    in the hand of names writer ``writer``."""
    style = WriterStyle.from_seed(writer, kind="names")
    out = []
    for _ in range(2):
        text = "".join(map(str, rng.integers(0, 10, 8))) if rng.random() < 0.6 else random_name(rng)
        out.append(write(text, writer=writer, line_seed=int(rng.integers(1 << 30)), style=style))
    return out


# --------------------------------------------------------------------------------------------
# 1. Layout


def _arc_length(xy: np.ndarray) -> float:  # of one (n, 2) stroke
    return float(np.hypot(*np.diff(xy, axis=0).T).sum()) if len(xy) > 1 else 0.0


def _connector(a: np.ndarray, b: np.ndarray, n: int = 8) -> np.ndarray:
    """A smooth pen-down curve from the end of stroke ``a`` to the start of stroke ``b``:
    a cubic Hermite curve leaving ``a`` along its last direction and entering ``b`` along
    its first. (n, 2), without the two end points."""
    p0, p1 = a[-1], b[0]
    gap = np.hypot(*(p1 - p0))
    t0 = a[-1] - a[-2] if len(a) > 1 else p1 - p0
    t1 = b[1] - b[0] if len(b) > 1 else p1 - p0
    t0 = t0 / (np.hypot(*t0) + 1e-9) * gap
    t1 = t1 / (np.hypot(*t1) + 1e-9) * gap
    t = np.linspace(0, 1, n + 2)[1:-1, None]
    h00, h10 = 2 * t**3 - 3 * t**2 + 1, t**3 - 2 * t**2 + t
    h01, h11 = -2 * t**3 + 3 * t**2, t**3 - t**2
    return h00 * p0 + h10 * t0 + h01 * p1 + h11 * t1


def _glyph_stroke(xy: np.ndarray, style: WriterStyle, scale: float) -> np.ndarray:
    """One font stroke in the writer's proportions: ascenders and descenders (above 1 and
    below 0 x-height) shortened by ``style.ascender``, then scaled."""
    y = xy[:, 1]
    y = np.where(y > 1.0, 1.0 + (y - 1.0) * style.ascender, np.minimum(y, y * style.ascender))
    return np.column_stack([xy[:, 0] * style.width, y]) * scale


def _join_close(strokes: list[np.ndarray], max_gap: float) -> list[np.ndarray]:
    """Join consecutive strokes of one glyph whose end and start are less than ``max_gap``
    apart: a hand goes on without lifting where a plotter font lifts its pen."""
    out = strokes[:1]
    for s in strokes[1:]:
        # An i or j dot stays a separate touch of the pen.
        is_dot = min(np.ptp(s, axis=0).max(), np.ptp(out[-1], axis=0).max()) < 0.35
        if np.hypot(*(s[0] - out[-1][-1])) < max_gap and not is_dot:
            out[-1] = np.concatenate([out[-1], _connector(out[-1], s, n=4), s])
        else:
            out.append(s)
    return out


def _layout(text: str, style: WriterStyle, rng: np.random.Generator) -> list[np.ndarray]:
    """Glyphs placed along the line, in the order a writer draws them (x-height units)."""
    glyphs = load_font(style.font)
    for letter, k in style.capitals:
        glyphs = {**glyphs, letter: VARIANTS[letter][k - 1]}
    people = human_glyphs(style.font) if style.human else {}
    # a writer's drawer k: the k-th usable drawing, counting round (a few are left out)
    glyphs = {**glyphs, **{c: people[c][k % len(people[c])] for c, k in style.human}}
    out: list[np.ndarray] = []
    x = 0.0
    for word in text.split(" "):
        if not word:
            x += style.word_spacing
            continue
        later: list[np.ndarray] = []  # i-dots and t-bars, drawn after the word by a cursive hand
        joinable = False  # does the last stroke in ``out`` end a letter of this word?
        for ch in word:
            g = glyphs[ch]
            if ch in people and rng.random() < style.variety:  # another person's form
                g = people[ch][int(rng.integers(N_DRAWERS)) % len(people[ch])]
            scale = 1.0 + style.jitter * rng.normal()
            shift = np.array([x, 0.5 * style.jitter * rng.normal()])
            strokes = [_glyph_stroke(s, style, scale) for s in g.strokes]
            wide = 1.0
            if style.letter_slant or style.letter_width:  # each letter a little different
                lean = np.tan(np.radians(style.letter_slant * rng.normal()))
                wide = float(np.exp(style.letter_width * rng.normal()))
                strokes = [
                    np.column_stack([s[:, 0] * wide + lean * s[:, 1], s[:, 1]]) for s in strokes
                ]
            strokes = [s + shift for s in strokes]
            # A print hand runs on within a lowercase letter (n, h, a) but lifts between
            # the bars of a capital.
            gap = 0.6 if style.cursive else (1.1 if ch.islower() else 0.3)
            strokes = _join_close(strokes, max_gap=gap)
            delay = (1.0 if style.cursive else 0.0) if style.delay is None else style.delay
            if delay > 0 and ch.isalpha() and len(strokes) > 1:
                minor = [s for s in strokes if _arc_length(s) < 0.45]
                later_now = style.delay is None or rng.random() < delay
                if len(minor) < len(strokes) and later_now:
                    later += minor
                    strokes = [s for s in strokes if _arc_length(s) >= 0.45]
            # A print hand joins only where the pen is already low: end and start near the
            # baseline (a ligature), never up to the top of a stem.
            can_join = ch.isalpha() if style.cursive else ch.islower()
            if can_join and not style.cursive and out and strokes:
                can_join = max(out[-1][-1, 1], strokes[0][0, 1] - shift[1]) < 0.6
            if joinable and can_join and strokes and rng.random() < style.join_prob:
                out[-1] = np.concatenate([out[-1], _connector(out[-1], strokes[0]), strokes[0]])
                strokes = strokes[1:]
            out += strokes
            joinable = (ch.isalpha() if style.cursive else ch.islower()) and bool(g.strokes)
            x += style.width * scale * wide * g.advance + style.letter_spacing * (
                1 + 0.3 * rng.normal()
            )
        out += later
        x += style.word_spacing * (1 + 0.15 * rng.normal())
    return out


# --------------------------------------------------------------------------------------------
# 2. Resampling and smoothing, all strokes of a line at once


@lru_cache(maxsize=16)
def _kernel(sigma: float) -> np.ndarray:
    r = max(1, int(np.ceil(3 * sigma)))
    k = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma) ** 2)
    return k / k.sum()


@dataclass(frozen=True)
class _Path:
    """Every point of a line (N, 2) and the number of points of each stroke (K,).

    Working on all strokes at once (rather than stroke by stroke) keeps the writer fast:
    a line has 20 to 40 strokes, and NumPy's cost is per call, not per point.
    """

    xy: np.ndarray  # (N, 2)
    lengths: np.ndarray  # (K,) int, sum = N

    @classmethod
    def of(cls, strokes: list[np.ndarray]) -> _Path:
        return cls(np.concatenate(strokes), np.array([len(s) for s in strokes]))

    def strokes(self) -> list[np.ndarray]:
        return np.split(self.xy, np.cumsum(self.lengths)[:-1])

    @property
    def starts(self) -> np.ndarray:  # (K,) index of each stroke's first point
        return np.cumsum(self.lengths) - self.lengths

    @property
    def stroke_id(self) -> np.ndarray:  # (N,) stroke of each point
        return np.repeat(np.arange(len(self.lengths)), self.lengths)

    def arc(self) -> tuple[np.ndarray, np.ndarray]:
        """(N,) arc length from the start of each point's stroke, and (N - 1,) step lengths
        (0 across a pen lift)."""
        d = np.hypot(*np.diff(self.xy, axis=0).T)  # (N - 1,)
        d[np.cumsum(self.lengths)[:-1] - 1] = 0.0  # no step from one stroke to the next
        cum = np.concatenate([[0.0], np.cumsum(d)])
        return cum - cum[self.starts][self.stroke_id], d

    def sample(self, clock: np.ndarray, n: np.ndarray) -> _Path:
        """Resample each stroke at ``n[k]`` values of ``clock`` (N,), a quantity that grows
        along each stroke from 0 (arc length or time), evenly spaced from 0 to its end."""
        ends = np.cumsum(self.lengths) - 1
        total = clock[ends]  # (K,)
        # Lay the strokes end to end on one axis, 1 apart, so one np.interp does them all.
        offset = np.concatenate([[0.0], np.cumsum(total + 1.0)[:-1]])  # (K,)
        axis = clock + offset[self.stroke_id]
        k = np.repeat(np.arange(len(n)), n)
        j = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)  # index within the stroke
        target = offset[k] + total[k] * j / np.maximum(n[k] - 1, 1)
        xy = np.column_stack([np.interp(target, axis, self.xy[:, c]) for c in (0, 1)])
        return _Path(xy, n)

    def resample(self, step: float) -> _Path:
        """Points about ``step`` apart along each stroke (its ends kept)."""
        s, _ = self.arc()
        total = s[np.cumsum(self.lengths) - 1]
        n = np.where(total > 0, np.maximum(2, np.ceil(total / step).astype(int) + 1), 1)
        return self.sample(s, n)

    def smooth(self, sigma: float) -> _Path:
        """Gaussian smoothing along each stroke (``sigma`` in points). Each stroke is padded
        by reflecting it through its end points, so its ends stay put and a straight end
        stays straight."""
        k = _kernel(sigma)
        r = len(k) // 2
        m = np.repeat(self.lengths, self.lengths + 2 * r)  # (P,) stroke length per padded slot
        a = np.repeat(self.starts, self.lengths + 2 * r)  # (P,) stroke start per padded slot
        q = np.arange(len(m)) - np.repeat(
            np.cumsum(self.lengths + 2 * r) - self.lengths - 2 * r, self.lengths + 2 * r
        )  # (P,) position in the padded stroke
        head, tail = q < r, q >= r + m
        src = a + np.clip(q - r, 0, m - 1)
        src[head] = a[head] + np.minimum(r - q[head], m[head] - 1)
        src[tail] = a[tail] + np.maximum(m[tail] - 1 - (q[tail] - r - m[tail] + 1), 0)
        anchor = np.where(head, a, a + m - 1)
        padded = self.xy[src]
        mirror = head | tail
        padded[mirror] = 2 * self.xy[anchor[mirror]] - padded[mirror]
        out = np.column_stack([np.convolve(padded[:, c], k, mode="same") for c in (0, 1)])
        return _Path(out[~mirror], self.lengths)


# --------------------------------------------------------------------------------------------
# 3. Geometry: slant, baseline, elastic deformation


@cache
def font_slant(font: str, human: tuple[tuple[str, int], ...] = ()) -> float:
    """The slant (degrees) the font has by itself -- with the human letter forms ``human``
    (see :class:`WriterStyle`) in place of its own -- measured on a pangram with
    :func:`ink.normalize.estimate_slant`; the writer's shear adds what is missing."""
    from ink.normalize import estimate_slant

    style = WriterStyle(font, False, 0, 0, 1, 1, 1, 0, 1, 0, 0, 0, 1, human=human)
    pangram = "the quick brown fox jumps over the lazy dog"
    strokes = _layout(pangram, style, np.random.default_rng(0))
    return estimate_slant(strokes_to_offsets(_Path.of(strokes).resample(DENSE_STEP).strokes()))


def _random_field(rng: np.random.Generator, n_waves: int, wavelengths: tuple[float, float]):
    """A smooth random function of (x, y): a sum of plane waves, RMS 1. Returns f(xy)."""
    k = rng.uniform(*wavelengths, size=n_waves)
    theta = rng.uniform(0, 2 * np.pi, size=n_waves)
    w = 2 * np.pi / k[:, None] * np.column_stack([np.cos(theta), np.sin(theta)])  # (K, 2)
    phase = rng.uniform(0, 2 * np.pi, size=n_waves)
    amp = rng.normal(size=n_waves) * np.sqrt(2.0 / n_waves)
    return lambda xy: np.sin(xy @ w.T + phase) @ amp  # (n, 2) -> (n,)


def _deform(path: _Path, style: WriterStyle, rng: np.random.Generator) -> _Path:
    """Slant, baseline tilt and drift, and an elastic field, applied to every point."""
    xy = path.xy
    # Elastic: displacement in x and y, wavelengths of one to a few letters.
    fx = _random_field(rng, 8, (1.5, 5.0))
    fy = _random_field(rng, 8, (1.5, 5.0))
    disp = style.elastic * np.column_stack([fx(xy), fy(xy)])
    # Baseline: a small tilt plus a slow wave along the line.
    tilt = np.tan(np.radians(rng.normal(0.0, 1.0)))
    period = rng.uniform(25.0, 60.0)
    wave = style.baseline_drift * np.sin(2 * np.pi * xy[:, 0] / period + rng.uniform(0, 2 * np.pi))
    xy = xy + disp
    xy[:, 1] += tilt * xy[:, 0] + wave
    # Slant: shear x -> x + tan(a) y, by what the font lacks (with a little line-to-line wobble).
    shear = style.slant - font_slant(style.font, style.human) + rng.normal(0.0, 1.5)
    xy[:, 0] += np.tan(np.radians(shear)) * xy[:, 1]
    return _Path(xy, path.lengths)


def _tremor(path: _Path, amplitude: float, rng: np.random.Generator) -> _Path:
    """A hand is not a plotter: add a smooth random wobble of RMS ``amplitude`` (x-heights) to
    every point, correlated over about 0.1 x-height (Gaussian of 2.5 points of the dense path)."""
    k = _kernel(2.5)
    noise = rng.normal(size=path.xy.shape)
    noise = np.column_stack([np.convolve(noise[:, c], k, mode="same") for c in (0, 1)])
    return _Path(path.xy + noise * (amplitude / np.sqrt(np.sum(k**2))), path.lengths)


# --------------------------------------------------------------------------------------------
# 4. Timing: sample the path at equal time steps with a human speed profile


def _pen_timing(
    path: _Path, speed: float, rng: np.random.Generator, beta: float = 0.0, record=None
) -> _Path:
    """Dense path in IAM-OnDB units -> the points a digitiser records at equal time steps,
    for a pen whose speed follows curvature^-beta (``beta=0``: the fonts' hand's milder
    (1 + 4 curvature)^(-1/3)), ramps up and down at each stroke's ends and wanders slowly
    (log-normal, about +-40%). ``record`` (the same points, moved a little) is what the
    digitiser sees at those times, if given."""
    s, d = path.arc()  # (N,), (N - 1,)
    sid = path.stroke_id
    ends = np.cumsum(path.lengths) - 1
    total = s[ends][sid]  # (N,) length of each point's stroke
    # Curvature: turning angle per unit length at each point, smoothed over a few points.
    step = np.diff(path.xy, axis=0)  # (N - 1, 2)
    heading = np.arctan2(step[:, 1], step[:, 0])
    turn = np.zeros(len(s))
    turn[1:-1] = np.abs(np.angle(np.exp(1j * np.diff(heading))))  # wrapped to [0, pi]
    turn[path.starts] = 0.0
    turn[ends] = 0.0
    ds = np.maximum(0.5 * (np.concatenate([[0.0], d]) + np.concatenate([d, [0.0]])), 1e-3)
    curvature = np.convolve(turn / ds, _kernel(2.0), mode="same")  # 1 / IAM units
    if beta > 0:  # a straight run is as fast as a curve of radius 30 units (~4 x-heights)
        v = speed * 1.25 * (np.maximum(curvature, 1 / 30) * CURVE_RADIUS) ** -beta
    else:
        v = speed * (1.0 + 4.0 * curvature) ** (-1.0 / 3.0) * 2.0
    # Ramps: the pen starts from rest and stops again (over ~3 units at each end).
    v *= np.sqrt(np.clip(np.minimum(s, total - s) / 3.0, 0.0, 1.0)) * 0.9 + 0.1
    # Slow wander of the speed: two waves per stroke, random periods and phases.
    k = len(path.lengths)
    p1, p2 = rng.uniform(4, 10, k)[sid], rng.uniform(10, 30, k)[sid]
    f1, f2 = rng.uniform(0, 2 * np.pi, k)[sid], rng.uniform(0, 2 * np.pi, k)[sid]
    v *= np.exp(0.4 * (np.sin(2 * np.pi * s / p1 + f1) + np.sin(2 * np.pi * s / p2 + f2)))
    # Time to reach each point, from its stroke's start; the recorder samples t = 0, 1, 2, ...
    dt = d / (0.5 * (v[1:] + v[:-1]))  # 0 across pen lifts, where d = 0
    t = np.concatenate([[0.0], np.cumsum(dt)])
    t -= t[path.starts][sid]
    duration = t[ends]
    n = np.maximum(2, np.round(duration).astype(int) + 1)
    n[s[ends] < GRID] = 1  # a dot
    return (path if record is None else record).sample(t, n)
