"""Negative-bagged ensembles: the member split, the averaged model, and the train command with --ensemble."""

from __future__ import annotations

import json
from pathlib import Path

import lightgbm as lgb
import numpy as np
import onnxruntime as ort
from synthetic import fast_params

from streamrec_trainer.dataset import Split
from streamrec_trainer.ensemble import average_boosters, member_split


def toy_split() -> Split:
    # group 1: positive, 5 negatives; group 2: 2 negatives, positive, 1 negative; group 3: 1 positive only
    labels = np.array([3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2], dtype=np.float32)
    features = np.arange(labels.shape[0], dtype=np.float32).reshape(-1, 1)
    return Split(name="train", features=features, labels=labels, groups=np.array([6, 4, 1], dtype=np.uint32))


def test_members_share_positives_and_split_negatives_round_robin_within_each_group() -> None:
    split = toy_split()
    rows = [member_split(split, member, 2) for member in range(2)]
    assert rows[0].features is not None and rows[1].features is not None
    assert rows[0].features[:, 0].tolist() == [0, 1, 3, 5, 6, 8, 9, 10]
    assert rows[1].features[:, 0].tolist() == [0, 2, 4, 7, 8, 10]
    assert rows[0].groups.tolist() == [4, 3, 1]
    assert rows[1].groups.tolist() == [3, 2, 1]
    negatives = sorted(int(v) for r in rows for v, label in zip(r.features[:, 0], r.labels) if label <= 0)
    assert negatives == [1, 2, 3, 4, 5, 6, 7, 9]  # every negative in exactly one member
    assert member_split(split, 0, 1) is split


def test_a_group_left_without_rows_is_dropped_not_kept_empty() -> None:
    labels = np.array([0, 0, 1, 0], dtype=np.float32)
    split = Split(name="train", features=np.zeros((4, 1), dtype=np.float32), labels=labels,
                  groups=np.array([1, 1, 2], dtype=np.uint32))
    assert member_split(split, 1, 2).groups.tolist() == [1]  # groups 1 and 2 have no negative of rank 1
    assert member_split(split, 0, 2).groups.tolist() == [1, 1, 2]


def test_the_average_scores_the_mean_of_the_members(planted: Path) -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(600, 4)).astype(np.float32)
    y = (x[:, 0] + rng.normal(size=600) > 0.5).astype(np.float32)
    params = {"objective": "binary", "num_leaves": 7, "verbosity": -1, "deterministic": True,
              "force_row_wise": True, "num_threads": 1, "seed": 1}
    members = [lgb.train({**params, "bagging_fraction": 0.7, "bagging_freq": 1, "seed": seed},
                         lgb.Dataset(x, label=y), num_boost_round=rounds)
               for seed, rounds in ((1, 20), (2, 35), (3, 7))]
    merged = average_boosters(members)
    assert merged.num_trees() == 62
    expected = np.mean([m.predict(x, raw_score=True) for m in members], axis=0)
    np.testing.assert_allclose(merged.predict(x, raw_score=True), expected, rtol=0, atol=1e-12)
    assert average_boosters(members[:1]) is members[0]


def test_train_with_ensemble_averages_members_and_keeps_parity(planted: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    result = cli("train", "--data", str(planted), "--out", str(out), "--seed", "11", "--threads", "1",
                 "--objective", "lambdarank", "--ensemble", "3", "--params", fast_params())
    assert result.code == 0, result.stderr
    report = result.output
    ensemble = report["ensemble"]
    assert ensemble["members"] == 3 and len(ensemble["member_best_iterations"]) == 3
    assert report["num_trees"] == sum(ensemble["member_best_iterations"]) == report["best_iteration"]
    assert len(ensemble["member_valid_ndcg_at_10"]) == 3
    assert report["parity"]["max_abs_diff"] <= report["parity"]["bound"]
    assert "3 members averaged" in result.stderr
    holdout = np.fromfile(planted / "holdout.features.f32", dtype="<f4").reshape(-1, len(report["feature_names"]))
    session = ort.InferenceSession(str(out / "model.onnx"), providers=["CPUExecutionProvider"])
    onnx_scores = session.run(["score"], {"features": holdout})[0][:, 0]
    lgbm = np.fromfile(out / "holdout.lgbm.f64", dtype="<f8")
    assert np.max(np.abs(onnx_scores - lgbm)) <= 1e-5
    saved = json.loads((out / "report.json").read_text())
    assert saved["ensemble"] == ensemble
    again = cli("train", "--data", str(planted), "--out", str(tmp_path / "again"), "--seed", "11", "--threads", "1",
                "--objective", "lambdarank", "--ensemble", "3", "--params", fast_params())
    assert (tmp_path / "again" / "model.onnx").read_bytes() == (out / "model.onnx").read_bytes()
    assert again.output["onnx"]["sha256"] == report["onnx"]["sha256"]


def test_ensemble_out_of_range_is_an_input_error(planted: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    for value in ("0", "17"):
        result = cli("train", "--data", str(planted), "--out", str(tmp_path / value), "--ensemble", value)
        assert result.code == 2
        assert "--ensemble must be from 1 to 16" in result.output["error"]["message"]


def test_members_default_to_the_ensemble_learning_rate_unless_params_set_one() -> None:
    from streamrec_trainer.training import DEFAULT_PARAMS, ENSEMBLE_LEARNING_RATE, resolve_params

    assert resolve_params({}, seed=1, threads=1)[0]["learning_rate"] == DEFAULT_PARAMS["learning_rate"]
    assert resolve_params({}, seed=1, threads=1, members=4)[0]["learning_rate"] == ENSEMBLE_LEARNING_RATE
    assert resolve_params({"learning_rate": 0.1}, seed=1, threads=1, members=4)[0]["learning_rate"] == 0.1
