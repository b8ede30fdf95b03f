"""Seeded synthetic datasets in the exact streamrec-train-v1 layout the TypeScript extractor writes.

Relevance is planted in three features (x0, x1 and |x2|), the rest is noise, and 5% of values are
missing (NaN) — so a model that learned nothing scores like a random ranking and a model that learned
the signal scores clearly above it. Also usable from the command line for the by-hand benchmark:
`python tests/synthetic.py DIR --train-rows 1000000 --features 90`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import numpy.typing as npt

GRADE_QUANTILES = (0.80, 0.90, 0.94, 0.97, 0.99)  # ~80% nothing, then view/click/fav/cart/purchase
FAST_PARAMS = {"num_leaves": 15, "min_data_in_leaf": 20, "num_iterations": 150, "early_stopping_round": 30}
"""Small models for tests about behaviour, not model size (test_parity builds the big one)."""


def fast_params(**extra: object) -> str:
    """FAST_PARAMS (plus overrides) as the JSON text `--params` takes."""
    return json.dumps({**FAST_PARAMS, **extra})


def planted_relevance(features: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
    x = np.nan_to_num(features[:, :3].astype(np.float64))
    return 1.5 * x[:, 0] + 1.0 * x[:, 1] - 0.8 * np.abs(x[:, 2])


def make_split(rng: np.random.Generator, rows: int, width: int, group_size: tuple[int, int],
               nan_rate: float, noise: float) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32], npt.NDArray[np.uint32]]:
    sizes: list[int] = []
    while sum(sizes) < rows:
        sizes.append(int(rng.integers(group_size[0], group_size[1] + 1)))
    sizes[-1] -= sum(sizes) - rows
    if sizes[-1] <= 0:
        sizes[-2] += sizes.pop()
    features = rng.normal(size=(rows, width)).astype(np.float32)
    latent = planted_relevance(features) + rng.normal(scale=noise, size=rows)
    features[rng.random((rows, width)) < nan_rate] = np.nan
    labels = np.digitize(latent, np.quantile(latent, GRADE_QUANTILES)).astype(np.float32)
    return features, labels, np.asarray(sizes, dtype=np.uint32)


def write_dataset(directory: Path, *, rows: tuple[int, int, int] = (3000, 1000, 1000), features: int = 10,
                  group_size: tuple[int, int] = (10, 30), seed: int = 0, nan_rate: float = 0.05,
                  noise: float = 1.0) -> Path:
    """Writes meta.json and the three splits; returns the directory."""
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    names = [f"f{index:02d}" for index in range(features)]
    meta: dict[str, object] = {"format": "streamrec-train-v1", "feature_names": names, "splits": {}}
    for split, count in zip(("train", "valid", "holdout"), rows):
        x, y, g = make_split(rng, count, features, group_size, nan_rate, noise)
        x.astype("<f4").tofile(directory / f"{split}.features.f32")
        y.astype("<f4").tofile(directory / f"{split}.labels.f32")
        g.astype("<u4").tofile(directory / f"{split}.groups.u32")
        meta["splits"][split] = {"rows": count, "groups": int(g.shape[0])}  # type: ignore[index]
    (directory / "meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return directory


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--train-rows", type=int, default=100_000)
    parser.add_argument("--features", type=int, default=90)
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args()
    train_rows = options.train_rows
    write_dataset(options.directory, rows=(train_rows, train_rows // 5, train_rows // 5),
                  features=options.features, seed=options.seed)
