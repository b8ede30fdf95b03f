"""Reads and strictly validates the dataset directory written by the TypeScript extractor.

The files are raw little-endian arrays, so nothing in them is self-describing: a wrong row count or a
stray infinity would silently shift or poison the training. Every check here names the file and the
problem, because the person reading the message is debugging the TypeScript writer, not this code.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from streamrec_trainer import DATASET_FORMAT
from streamrec_trainer.errors import InputError

SPLITS = ("train", "valid", "holdout")
MAX_GRADE = 30
"""Gains are 2**label - 1; above 30 they stop being representable exactly and LightGBM's label_gain ends."""
FEATURE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,199}$")
"""LightGBM rejects JSON punctuation and rewrites spaces in feature names; we refuse instead of renaming."""


@dataclass(frozen=True)
class SplitInfo:
    """Row and group counts announced by meta.json for one split."""

    rows: int
    groups: int


@dataclass(frozen=True)
class Meta:
    """The parsed meta.json: feature order is the ONNX input column order."""

    feature_names: tuple[str, ...]
    splits: dict[str, SplitInfo]


@dataclass(frozen=True)
class Split:
    """One split in memory. Features may be None when a caller only needs labels (the metrics command)."""

    name: str
    features: npt.NDArray[np.float32] | None
    labels: npt.NDArray[np.float32]
    groups: npt.NDArray[np.uint32]

    @property
    def rows(self) -> int:
        return int(self.labels.shape[0])


def read_meta(directory: Path) -> Meta:
    """Parses meta.json; every structural problem is an InputError naming meta.json."""
    path = directory / "meta.json"
    if not directory.is_dir():
        raise InputError(f"{directory}: dataset directory does not exist")
    try:
        raw: Any = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: missing") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(f"{path}: not valid JSON ({error})") from None
    if not isinstance(raw, dict):
        raise InputError(f"{path}: expected a JSON object")
    if raw.get("format") != DATASET_FORMAT:
        raise InputError(f"{path}: format is {raw.get('format')!r}, expected {DATASET_FORMAT!r}")
    names = raw.get("feature_names")
    if not isinstance(names, list) or not names:
        raise InputError(f"{path}: feature_names must be a non-empty list of strings")
    for index, name in enumerate(names):
        if not isinstance(name, str) or not FEATURE_NAME.match(name):
            raise InputError(
                f"{path}: feature_names[{index}] = {name!r} is not a valid feature name "
                "(letters, digits, '_', '.', '-'; at most 200 characters; not starting with '.' or '-')"
            )
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise InputError(f"{path}: feature name {name!r} is listed twice (feature names must be unique)")
        seen.add(name)
    splits_raw = raw.get("splits")
    if not isinstance(splits_raw, dict):
        raise InputError(f"{path}: splits must be an object with {', '.join(SPLITS)}")
    splits: dict[str, SplitInfo] = {}
    for split in SPLITS:
        info = splits_raw.get(split)
        if not isinstance(info, dict):
            raise InputError(f"{path}: splits.{split} is missing")
        rows, groups = info.get("rows"), info.get("groups")
        for key, value in (("rows", rows), ("groups", groups)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise InputError(f"{path}: splits.{split}.{key} must be a positive integer, got {value!r}")
        assert isinstance(rows, int) and isinstance(groups, int)
        if groups > rows:
            raise InputError(f"{path}: splits.{split} has {groups} groups but only {rows} rows")
        splits[split] = SplitInfo(rows=rows, groups=groups)
    return Meta(feature_names=tuple(names), splits=splits)


def load_split(directory: Path, meta: Meta, name: str, *, with_features: bool = True) -> Split:
    """Loads one split and checks sizes, values and group structure against meta.json."""
    info = meta.splits[name]
    width = len(meta.feature_names)
    labels = _read_array(directory / f"{name}.labels.f32", np.dtype("<f4"), info.rows, f"{info.rows} rows × 1 float32")
    groups = _read_array(directory / f"{name}.groups.u32", np.dtype("<u4"), info.groups, f"{info.groups} groups × 1 uint32")
    features = None
    if with_features:
        flat = _read_array(
            directory / f"{name}.features.f32", np.dtype("<f4"), info.rows * width,
            f"{info.rows} rows × {width} features × float32",
        )
        features = flat.reshape(info.rows, width)
        _check_features(directory / f"{name}.features.f32", features, meta.feature_names)
    _check_labels(directory / f"{name}.labels.f32", labels)
    _check_groups(directory / f"{name}.groups.u32", groups, info.rows)
    return Split(name=name, features=features, labels=labels, groups=groups)


def load_dataset(directory: Path) -> tuple[Meta, dict[str, Split]]:
    """Loads all three splits and applies the cross-split rules training needs."""
    meta = read_meta(directory)
    splits = {name: load_split(directory, meta, name) for name in SPLITS}
    if not bool(np.any(splits["train"].labels > 0)):
        raise InputError(f"{directory / 'train.labels.f32'}: no positive label (label > 0) in train; nothing to learn")
    if not bool(np.any(splits["valid"].labels > 0)):
        raise InputError(
            f"{directory / 'valid.labels.f32'}: no group of valid has a positive label, "
            "so NDCG@10 (early stopping and objective choice) is undefined"
        )
    return meta, splits


def _read_array(path: Path, dtype: np.dtype[Any], count: int, what: str) -> npt.NDArray[Any]:
    expected = count * dtype.itemsize
    try:
        size = os.path.getsize(path)
    except FileNotFoundError:
        raise InputError(f"{path}: missing") from None
    if size != expected:
        raise InputError(f"{path}: {size} bytes, expected {expected} ({what} announced by meta.json)")
    return np.fromfile(path, dtype=dtype, count=count).astype(dtype.newbyteorder("="), copy=False)


def _check_features(path: Path, features: npt.NDArray[np.float32], names: tuple[str, ...]) -> None:
    """NaN means missing and is allowed; an infinity is always an upstream bug (a division by zero)."""
    bad = np.flatnonzero(np.isinf(features).ravel())
    if bad.size:
        row, column = divmod(int(bad[0]), features.shape[1])
        raise InputError(
            f"{path}: {bad.size} infinite value(s), first at row {row}, feature {names[column]!r} "
            f"({float(features[row, column])}); features must be finite or NaN (missing)"
        )


def _check_labels(path: Path, labels: npt.NDArray[np.float32]) -> None:
    """Grades must be integers because LightGBM's lambdarank indexes label_gain with them."""
    checks = (
        (~np.isfinite(labels), "is not finite"),
        (labels < 0, "is negative"),
        (labels > MAX_GRADE, f"is above {MAX_GRADE}"),
        (np.isfinite(labels) & (labels != np.round(labels)), "is not an integer grade"),
    )
    for mask, problem in checks:
        bad = np.flatnonzero(mask)
        if bad.size:
            row = int(bad[0])
            raise InputError(
                f"{path}: label {float(labels[row])} at row {row} {problem} ({bad.size} such row(s)); "
                f"labels must be integer grades 0..{MAX_GRADE}"
            )


def _check_groups(path: Path, groups: npt.NDArray[np.uint32], rows: int) -> None:
    zero = np.flatnonzero(groups == 0)
    if zero.size:
        raise InputError(f"{path}: group {int(zero[0])} has size 0 (every group needs at least one row)")
    total = int(groups.sum(dtype=np.uint64))
    if total != rows:
        raise InputError(f"{path}: group sizes sum to {total}, expected {rows} rows")


def read_scores(path: Path, rows: int) -> npt.NDArray[np.float64]:
    """Reads externally computed scores (float64 little-endian, one per row) for the metrics command."""
    scores = _read_array(path, np.dtype("<f8"), rows, f"{rows} rows × 1 float64")
    bad = np.flatnonzero(~np.isfinite(scores))
    if bad.size:
        raise InputError(f"{path}: score at row {int(bad[0])} is {float(scores[bad[0]])}; scores must be finite")
    return scores
