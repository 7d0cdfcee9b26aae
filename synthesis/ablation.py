"""The source's recognizer enhancements, and augmentation, each measured as one change.

Every variant trains on the same synthetic lines for the same epochs, once per seed, and is
scored on lines by held-out writers: CER and WER (mean and spread over the seeds), trainable
parameters, seconds per epoch. The budget is small (a CPU can afford 15 runs): short phrases,
1,000 steps each, so read the table as "which learns fastest at equal cost", not as the best each
variant can do.

At this budget the plain stack (``baseline``) never leaves the CTC plateau, and a change cannot be
judged on a network that has not started to learn. So residual connections are measured against
the baseline, and attention, focal CTC and augmentation each as an addition to ``+ residual``,
the variant that learns (:func:`reference` says which row each is judged against).
Augmentation is judged here on held-out *synthetic* writers; what it does for real lines is
measured with the full-size recognizer (``docs/experiments.md``).

``make results`` runs it (about an hour on 2 CPU cores) and keeps the result in
``synthesis/weights/ablation.json``; ``make figures`` and notebook 05 draw that result (when its
budget is theirs) instead of spending the hour again. Each variant's rows are kept as soon as
they are measured (``ablation.partial.json``), so an interrupted run resumes where it stopped.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np

from ink.config import fast_mode
from synthesis.features import Augment
from synthesis.recognizer import RecognizerConfig

RESULTS = Path(__file__).resolve().parent / "weights" / "ablation.json"


@dataclass(frozen=True)
class AblationBudget:
    n_train: int = 2000
    n_test: int = 200
    epochs: int = 8
    units: int = 64
    layers: int = 3
    batch_size: int = 16
    learning_rate: float = 3e-3
    kind: str = "phrases"  # short lines (4-14 characters): CTC learns them in fewer steps
    seeds: tuple[int, ...] = (0, 1, 2)


def ablation_budget(fast: bool | None = None) -> AblationBudget:
    """Fast mode: a smoke test. Otherwise about 55 minutes on 2 CPU cores (5 variants x 3
    seeds; the notebook, the figure and the bench use the same budget, so they show the same
    table)."""
    fast = fast_mode() if fast is None else fast
    if fast:
        return AblationBudget(n_train=48, n_test=12, epochs=1, units=8, layers=2, seeds=(0,))
    return AblationBudget()


def variants(budget: AblationBudget) -> dict[str, tuple[RecognizerConfig, Augment | None]]:
    """name -> (model config, training-line augmentation)."""
    base = RecognizerConfig(units=budget.units, layers=budget.layers)
    residual = replace(base, residual=True)
    return {
        "baseline": (base, None),
        "+ residual": (residual, None),
        "residual + attention": (replace(residual, attention=True), None),
        "residual + focal CTC": (replace(residual, focal_gamma=2.0), None),
        "residual + augmentation": (residual, Augment()),
    }


def reference(name: str) -> str | None:
    """The row a variant is judged against: the one it adds a single change to."""
    if name == "baseline":
        return None
    return "+ residual" if name.startswith("residual +") else "baseline"


def run(
    budget: AblationBudget | None = None, verbose: int = 0, save=None, only=None, measured=None
) -> dict:
    """``{variant: {"cer", "cer_std", "cers", "wer", "wer_std", "parameters",
    "seconds_per_epoch", "history"}}``: means and standard deviations over ``budget.seeds``
    (``cers``: one per seed; ``history``: the first seed's loss per epoch). ``only``: a few
    variant names (always with the rows they are judged against) instead of all five.
    ``measured``: rows already measured with this budget, taken as they are instead of training
    those variants again. With ``save`` (a path) the budget and the rows are written there as
    JSON, and after each variant to :func:`partial_path` (which :func:`resume_rows` reads)."""
    from synthesis.recognition import (
        evaluate_lines,
        recognizer_charset,
        synthetic_sentences,
        train_recognizer,
    )

    budget = budget or ablation_budget()
    chosen = variants(budget)
    if only is not None:
        unknown = sorted(set(only) - set(chosen))
        if unknown:
            raise ValueError(f"unknown variant(s) {unknown}; choose from {list(chosen)}")
        wanted = set(only)
        for name in only:  # and what it is judged against, down to the baseline
            ref = reference(name)
            while ref is not None:
                wanted.add(ref)
                ref = reference(ref)
        chosen = {k: v for k, v in chosen.items() if k in wanted}
    measured = measured or {}
    charset = recognizer_charset()
    # The kept table (weights/ablation.json) was measured on the fonts' hand: keep to it.
    data = {"kind": budget.kind, "progress": False, "hand": "font"}
    train = synthetic_sentences("train", limit=budget.n_train, **data)
    test = synthetic_sentences("test", limit=budget.n_test, **data)
    rows = {}
    for name, (config, augment) in chosen.items():
        if name in measured:
            rows[name] = measured[name]
            continue
        cers, wers, seconds, history, params = [], [], [], [], 0
        for seed in budget.seeds:
            fit = train_recognizer(
                config,
                train,
                None,
                charset,
                epochs=budget.epochs,
                batch_size=budget.batch_size,
                learning_rate=budget.learning_rate,
                seed=seed,
                augment=augment,
                verbose=verbose,
            )
            scores = evaluate_lines(fit.model, charset, test)
            cers.append(scores["cer"])
            wers.append(scores["wer"])
            seconds.append(fit.seconds_per_epoch)
            history = history or [float(v) for v in fit.history.get("loss", [])]
            params = int(fit.model.count_params())
        rows[name] = {
            "cer": float(np.mean(cers)),
            "cer_std": float(np.std(cers)),
            "cers": [float(c) for c in cers],
            "wer": float(np.mean(wers)),
            "wer_std": float(np.std(wers)),
            "parameters": params,
            "seconds_per_epoch": float(np.mean(seconds)),
            "history": history,
        }
        if save is not None:
            keep(budget, rows, partial_path(save))
    if save is not None:
        keep(budget, rows, save)
        partial_path(save).unlink(missing_ok=True)
    return rows


def partial_path(path) -> Path:
    """Where a run that saves to ``path`` keeps the variants measured so far."""
    path = Path(path)
    return path.with_name(path.name.replace(".json", "") + ".partial.json")


def resume_rows(budget: AblationBudget, path=RESULTS) -> dict:
    """The rows an interrupted run saving to ``path`` had measured with ``budget``."""
    return load_rows(budget, partial_path(path))


def keep(budget: AblationBudget, rows: dict, path=RESULTS) -> None:
    """Write ``rows`` measured with ``budget`` to ``path`` as JSON, for :func:`load`."""
    text = json.dumps({"budget": asdict(budget), "rows": rows}, indent=1)
    Path(path).write_text(text + "\n", encoding="utf-8")


def load_rows(budget: AblationBudget, path=RESULTS) -> dict:
    """Every row kept at ``path`` that was measured with ``budget`` (none when the budget
    differs), whole table or not."""
    path = Path(path)
    if not path.is_file():
        return {}
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        same = saved["budget"] == json.loads(json.dumps(asdict(budget)))
        return dict(saved["rows"]) if same else {}
    except (ValueError, KeyError, TypeError) as err:
        raise ValueError(
            f"{path}: not an ablation result ({err}); delete it to measure again"
        ) from None


def load(budget: AblationBudget, path=RESULTS) -> dict | None:
    """The rows kept by :func:`run` at ``path``, or None when there are none, they were
    measured with another budget, or they lack a variant."""
    rows = load_rows(budget, path)
    return rows if list(rows) == list(variants(budget)) else None


def verdict(rows: dict, name: str) -> str:
    """'helps', 'hurts' or 'makes no clear difference' against the row :func:`reference` names
    (the baseline when that row is not in ``rows``): a change in mean CER counts only when it is
    larger than twice the seeds' spread (and than 1 point)."""
    ref = reference(name)
    base, row = rows[ref if ref in rows else "baseline"], rows[name]
    margin = max(2 * max(base["cer_std"], row["cer_std"]), 0.01)
    if row["cer"] < base["cer"] - margin:
        return "helps"
    return "hurts" if row["cer"] > base["cer"] + margin else "makes no clear difference"


def format_table(rows: dict) -> str:
    n = len(next(iter(rows.values()))["cers"]) if rows else 0
    head = f"{'variant':<24} {'CER':>17} {'WER':>17} {'params':>9} {'s/epoch':>8}"
    lines = [f"mean +- standard deviation over {n} seed(s)", head, "-" * len(head)]
    for name, r in rows.items():
        cer = f"{r['cer']:.1%} +- {r['cer_std']:.1%}"
        wer = f"{r['wer']:.1%} +- {r['wer_std']:.1%}"
        lines.append(
            f"{name:<24} {cer:>17} {wer:>17} {r['parameters']:>9,} {r['seconds_per_epoch']:>8.1f}"
        )
    return "\n".join(lines)
