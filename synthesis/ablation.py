"""The source's recognizer enhancements, each measured against the same baseline.

Every variant trains from the same seed on the same synthetic lines for the same epochs, and is
scored on lines by held-out writers: CER, WER, trainable parameters, seconds per epoch. The
budget is small (a CPU can afford four runs): short phrases, 1,000 steps each, so read the table
as "which learns fastest at equal cost", not as the best each variant can do.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ink.config import fast_mode
from synthesis.recognizer import RecognizerConfig


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


def ablation_budget(fast: bool | None = None, bench: bool = False) -> AblationBudget:
    """Fast mode: a smoke test. Otherwise about 11 minutes on 2 CPU cores (the notebook, the
    figure and the bench run the same budget, so they show the same table)."""
    fast = fast_mode() if fast is None else fast
    if fast:
        return AblationBudget(n_train=48, n_test=12, epochs=1, units=8, layers=2)
    return AblationBudget()


def variants(budget: AblationBudget) -> dict[str, RecognizerConfig]:
    base = RecognizerConfig(units=budget.units, layers=budget.layers)
    return {
        "baseline": base,
        "+ residual": replace(base, residual=True),
        "+ attention": replace(base, attention=True),
        "+ focal CTC": replace(base, focal_gamma=2.0),
    }


def run(budget: AblationBudget | None = None, verbose: int = 0) -> dict:
    """``{variant: {"cer", "wer", "parameters", "seconds_per_epoch", "history"}}``."""
    from synthesis.recognition import (
        evaluate_lines,
        recognizer_charset,
        synthetic_sentences,
        train_recognizer,
    )

    budget = budget or ablation_budget()
    charset = recognizer_charset()
    train = synthetic_sentences("train", limit=budget.n_train, kind=budget.kind, progress=False)
    test = synthetic_sentences("test", limit=budget.n_test, kind=budget.kind, progress=False)
    rows = {}
    for name, config in variants(budget).items():
        fit = train_recognizer(
            config,
            train,
            None,
            charset,
            epochs=budget.epochs,
            batch_size=budget.batch_size,
            learning_rate=budget.learning_rate,
            verbose=verbose,
        )
        scores = evaluate_lines(fit.model, charset, test)
        rows[name] = {
            "cer": scores["cer"],
            "wer": scores["wer"],
            "parameters": int(fit.model.count_params()),
            "seconds_per_epoch": fit.seconds_per_epoch,
            "history": fit.history.get("loss", []),
        }
    return rows


def format_table(rows: dict) -> str:
    head = f"{'variant':<14} {'CER':>7} {'WER':>7} {'params':>9} {'s/epoch':>8}"
    lines = [head, "-" * len(head)]
    for name, r in rows.items():
        lines.append(
            f"{name:<14} {r['cer']:>7.2%} {r['wer']:>7.2%} {r['parameters']:>9,} "
            f"{r['seconds_per_epoch']:>8.1f}"
        )
    return "\n".join(lines)
