"""Every kind of bad input ends with exit code 2 and a message naming the file and the problem."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from synthetic import write_dataset


def _edit_meta(change: Callable[[dict], None]) -> Callable[[Path], None]:  # type: ignore[type-arg]
    def apply(data: Path) -> None:
        meta = json.loads((data / "meta.json").read_text())
        change(meta)
        (data / "meta.json").write_text(json.dumps(meta))

    return apply


def _edit_array(name: str, dtype: str, change: Callable[[np.ndarray], np.ndarray]) -> Callable[[Path], None]:
    def apply(data: Path) -> None:
        values = np.fromfile(data / name, dtype=dtype)
        change(values).astype(dtype).tofile(data / name)

    return apply


def _set(index: int, value: float) -> Callable[[np.ndarray], np.ndarray]:
    def change(values: np.ndarray) -> np.ndarray:
        values[index] = value
        return values

    return change


def _zero_labels(values: np.ndarray) -> np.ndarray:
    return np.zeros_like(values)


CASES: dict[str, tuple[Callable[[Path], None], tuple[str, ...]]] = {
    "meta missing": (lambda d: (d / "meta.json").unlink(), ("meta.json", "missing")),
    "meta not json": (lambda d: (d / "meta.json").write_text("{nope"), ("meta.json", "not valid JSON")),
    "wrong format": (_edit_meta(lambda m: m.update(format="v0")), ("meta.json", "format")),
    "duplicate feature": (_edit_meta(lambda m: m["feature_names"].__setitem__(1, m["feature_names"][0])),
                          ("meta.json", "listed twice")),
    "bad feature name": (_edit_meta(lambda m: m["feature_names"].__setitem__(0, "a b")),
                         ("meta.json", "not a valid feature name")),
    "split missing": (_edit_meta(lambda m: m["splits"].pop("holdout")), ("meta.json", "splits.holdout")),
    "zero rows": (_edit_meta(lambda m: m["splits"]["valid"].update(rows=0)), ("meta.json", "splits.valid.rows")),
    "features wrong size": (lambda d: (d / "train.features.f32").write_bytes(
        (d / "train.features.f32").read_bytes()[:-4]), ("train.features.f32", "bytes, expected")),
    "labels missing": (lambda d: (d / "valid.labels.f32").unlink(), ("valid.labels.f32", "missing")),
    "rows disagree with meta": (_edit_meta(lambda m: m["splits"]["train"].update(rows=m["splits"]["train"]["rows"] + 1)),
                                ("train.labels.f32", "bytes, expected")),
    "groups do not sum": (_edit_array("holdout.groups.u32", "<u4", lambda g: np.concatenate(([g[0] + 1], g[1:]))),
                          ("holdout.groups.u32", "sum to")),
    "empty group": (_edit_array("train.groups.u32", "<u4", _set(0, 0)), ("train.groups.u32", "size 0")),
    "infinite feature": (_edit_array("valid.features.f32", "<f4", _set(5, np.inf)),
                         ("valid.features.f32", "infinite", "row 1", "f01")),
    "negative label": (_edit_array("train.labels.f32", "<f4", _set(3, -1)), ("train.labels.f32", "row 3", "negative")),
    "nan label": (_edit_array("holdout.labels.f32", "<f4", _set(2, np.nan)), ("holdout.labels.f32", "not finite")),
    "fractional label": (_edit_array("train.labels.f32", "<f4", _set(0, 1.5)), ("train.labels.f32", "not an integer")),
    "no positive in train": (_edit_array("train.labels.f32", "<f4", _zero_labels), ("train.labels.f32", "no positive")),
    "no positive in valid": (_edit_array("valid.labels.f32", "<f4", _zero_labels), ("valid.labels.f32", "no group")),
}


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    return write_dataset(tmp_path / "data", rows=(400, 200, 200), features=4, seed=2)


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_dataset_exits_2_naming_file_and_problem(case: str, dataset: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    corrupt, expected = CASES[case]
    corrupt(dataset)
    result = cli("train", "--data", str(dataset), "--out", str(tmp_path / "out"))
    assert result.code == 2
    assert result.output["error"]["kind"] == "invalid_input"
    for fragment in expected:
        assert fragment in result.output["error"]["message"]
        assert fragment in result.stderr
    assert not (tmp_path / "out" / "model.onnx").exists()


@pytest.mark.parametrize(("params", "fragment"), [
    ('{"objective": "regression"}', "use --objective"),
    ('{"seed": 1}', "use --seed"),
    ('{"num_leafs": 31}', "not a LightGBM"),
    ('{"num_leaves": "many"}', "LightGBM refused"),
    ('{"num_iterations": 0}', "positive integer"),
    ("[1, 2]", "expected a JSON object"),
    ("{nope", "not valid JSON"),
])
def test_bad_params_exit_2(params: str, fragment: str, dataset: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("train", "--data", str(dataset), "--out", str(tmp_path / "out"), "--params", params)
    assert result.code == 2
    assert fragment in result.output["error"]["message"]


def test_bad_arguments_exit_2_with_json(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("train", "--data", "x")
    assert result.code == 2
    assert "--out" in result.output["error"]["message"]


def test_bad_scores_for_metrics(dataset: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads((dataset / "meta.json").read_text())["splits"]["holdout"]["rows"]
    np.zeros(rows - 1).astype("<f8").tofile(tmp_path / "short.f64")
    result = cli("metrics", "--data", str(dataset), "--scores", str(tmp_path / "short.f64"))
    assert result.code == 2 and "short.f64" in result.output["error"]["message"]
    scores = np.zeros(rows)
    scores[4] = np.nan
    scores.astype("<f8").tofile(tmp_path / "nan.f64")
    result = cli("metrics", "--data", str(dataset), "--scores", str(tmp_path / "nan.f64"))
    assert result.code == 2 and "row 4" in result.output["error"]["message"]


def test_real_process_exit_code_and_clean_stdout(dataset: Path, tmp_path: Path) -> None:
    (dataset / "train.groups.u32").unlink()
    process = subprocess.run([sys.executable, "-m", "streamrec_trainer", "train", "--data", str(dataset),
                              "--out", str(tmp_path / "out")], check=False, capture_output=True, text=True, timeout=120)
    assert process.returncode == 2
    error = json.loads(process.stdout)["error"]
    assert "train.groups.u32" in error["message"] and "missing" in error["message"]
    assert "train.groups.u32" in process.stderr
