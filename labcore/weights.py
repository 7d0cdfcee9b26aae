"""Weight files and the JSON sidecar beside each, as every model of the lab saves them.

A model is shipped as ``name.weights.h5`` (Keras 3, weights only) with ``name.json`` beside it:
the sidecar holds the config, the charset and the recipe, so a loader rebuilds exactly the model
the weights belong to. Loading is checked array by array first (:func:`load_weights_checked`),
because Keras 3 silently skips layers that do not match.
"""

from __future__ import annotations

import json
import tempfile
import warnings
from pathlib import Path

import keras

from labcore.cli import atomic_output


def sidecar_path(weights) -> Path:
    """``name.weights.h5`` -> ``name.json``: the description saved beside a weights file (every
    package of this repository keeps its model config and recipe there)."""
    return Path(str(weights).removesuffix(".weights.h5") + ".json")


def write_sidecar(weights, info: dict) -> Path:
    """``info`` as ``<name>.json`` beside ``weights``, written atomically."""
    path = sidecar_path(weights)
    with atomic_output(path) as tmp:
        tmp.write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return path


def _weight_shapes(path: Path) -> dict[str, tuple[int, ...]]:
    """Every array stored in a Keras 3 ``.weights.h5`` file: internal path -> shape."""
    import h5py

    shapes = {}

    def record(name, obj):
        # a compiled model also saves its optimizer's slots; they say nothing about the model
        if isinstance(obj, h5py.Dataset) and not name.startswith("optimizer/"):
            shapes[name] = tuple(obj.shape)

    with h5py.File(path, "r") as f:
        f.visititems(record)
    return shapes


def load_weights_checked(model: keras.Model, path) -> keras.Model:
    """``model.load_weights(path)`` with one-line errors instead of traces or silent half-loads.

    Keras 3 matches the arrays of a ``.weights.h5`` file by layer order and type, and silently
    ignores extra layers (a 2-layer Bi-LSTM file loads into a 1-layer model without a word). So
    the file's arrays are compared with those of the model first. Raises FileNotFoundError for a
    missing file, ValueError for a non-HDF5 / corrupt file or one saved from another charset
    (num_classes) or architecture.
    """
    path = Path(path)
    expected_classes = model.output.shape[-1]
    if not path.is_file():
        raise FileNotFoundError(f"weights file not found: {path}")
    if not path.name.endswith(".weights.h5"):  # Keras would read any other name as legacy H5
        raise ValueError(f"{path}: expected a Keras 3 weights file named *.weights.h5")
    try:
        stored = _weight_shapes(path)
    except OSError:
        raise ValueError(f"{path}: not a Keras .weights.h5 (HDF5) file, or corrupt") from None
    with tempfile.TemporaryDirectory() as tmp:
        reference = Path(tmp) / "model.weights.h5"
        model.save_weights(reference)
        wanted = _weight_shapes(reference)
    if stored != wanted:
        # the output layer is the last Dense; its bias has num_classes entries
        bias = [k for k in wanted if k.startswith("layers/dense") and k.endswith("vars/1")][-1]
        got = stored.get(bias, (None,))[0]
        if got is not None and got != expected_classes:
            what = f"another charset (saved num_classes={got})"
        else:
            what = "another architecture"
        raise ValueError(
            f"{path}: saved from {what}; this model expects num_classes={expected_classes} "
            f"and {len(wanted)} arrays ({len(stored)} in the file)"
        )
    with warnings.catch_warnings():  # "skipping optimizer variables": intended, see above
        warnings.simplefilter("ignore")
        model.load_weights(path)
    return model


def strip_optimizer(path) -> Path:
    """Rewrite a ``.weights.h5`` file with the model's weights only (no optimizer slots): the
    form to ship, a third of the size after Adam."""
    import h5py

    path = Path(path)
    with h5py.File(path, "a") as f:
        if "optimizer" in f:
            del f["optimizer"]
    tmp = path.with_name(path.name + ".tmp")
    with h5py.File(path, "r") as src, h5py.File(tmp, "w") as dst:  # repack: reclaim the space
        for key in src:
            src.copy(src[key], dst, name=key)
        for k, v in src.attrs.items():
            dst.attrs[k] = v
    tmp.replace(path)
    return path
