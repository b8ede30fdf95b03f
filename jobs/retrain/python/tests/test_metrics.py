"""Metric definitions checked against values worked out by hand (see README.md for the definitions)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from reference import ndcg_at_10 as reference_ndcg
from synthetic import write_dataset

from streamrec_trainer.metrics import GroupedLabels, auc


def metrics_of(scores: list[float], labels: list[float], groups: list[int]) -> dict[str, float | int | None]:
    return GroupedLabels(np.array(labels), np.array(groups)).evaluate(np.array(scores)).to_json()


def test_ndcg_hand_computed_group() -> None:
    # Ranked by score: rows 0 (label 0), 1 (label 2), 3 (label 1), 2 (label 0).
    # DCG  = (2^2-1)/log2(3) + (2^1-1)/log2(4)            = 3/1.5849625 + 1/2
    # IDCG = (2^2-1)/log2(2) + (2^1-1)/log2(3)            = 3 + 1/1.5849625
    dcg = 3 / 1.584962500721156 + 0.5
    idcg = 3 + 1 / 1.584962500721156
    result = metrics_of([0.9, 0.8, 0.1, 0.5], [0, 2, 0, 1], [4])
    assert result["ndcg_at_10"] == pytest.approx(dcg / idcg, abs=1e-12)
    assert result["ndcg_at_10"] == pytest.approx(0.659002, abs=1e-6)  # 2.392789 / 3.630930
    assert result["hr_at_10"] == 1.0
    assert result["groups_evaluated"] == 1


def test_groups_without_positive_are_excluded() -> None:
    # Group 1 is perfect (NDCG 1), group 2 has no positive and must not count as 0 or 1.
    result = metrics_of([2.0, 1.0, 5.0, 4.0, 3.0], [1, 0, 0, 0, 0], [2, 3])
    assert result["ndcg_at_10"] == 1.0
    assert result["groups_evaluated"] == 1
    assert result["groups"] == 2


def test_ties_are_broken_by_row_order() -> None:
    # Equal scores: the earlier row ranks first. Positive first → 1.0; positive second → 1/log2(3).
    assert metrics_of([0.5, 0.5], [1, 0], [2])["ndcg_at_10"] == 1.0
    assert metrics_of([0.5, 0.5], [0, 1], [2])["ndcg_at_10"] == pytest.approx(1 / 1.584962500721156, abs=1e-12)


def test_cutoff_at_ten() -> None:
    # 12 rows, the only positive (label 3) ranked 11th: DCG@10 = 0, HR@10 = 0; the ideal puts it first.
    scores = [float(12 - index) for index in range(12)]
    labels = [0.0] * 12
    labels[10] = 3
    result = metrics_of(scores, labels, [12])
    assert result["ndcg_at_10"] == 0.0
    assert result["hr_at_10"] == 0.0
    # Ranked 10th instead: DCG = 7/log2(11), IDCG = 7/log2(2) = 7.
    labels = [0.0] * 12
    labels[9] = 3
    assert metrics_of(scores, labels, [12])["ndcg_at_10"] == pytest.approx(1 / math.log2(11), abs=1e-12)


def test_hit_rate_counts_groups_with_a_positive_in_top_ten() -> None:
    # Group A: positive at rank 1 (hit). Group B: 11 rows, positive at rank 11 (miss). Group C: no positive.
    scores = [1.0, 0.0] + [float(11 - index) for index in range(11)] + [1.0]
    labels = [1.0, 0.0] + [0.0] * 10 + [1.0] + [0.0]
    result = metrics_of(scores, labels, [2, 11, 1])
    assert result["hr_at_10"] == 0.5
    assert result["groups_evaluated"] == 2


def test_auc_hand_computed() -> None:
    # Positives score 0.35 and 0.8, negatives 0.1 and 0.4: 3 of 4 pairs ordered → 0.75.
    assert auc(np.array([0.1, 0.4, 0.35, 0.8]), np.array([False, False, True, True])) == 0.75
    # One positive (0.5) against negatives 0.5 (tie, counts half) and 0.2 (win): 1.5 / 2.
    assert auc(np.array([0.5, 0.5, 0.2]), np.array([True, False, False])) == 0.75
    # All scores tied: every pair counts half.
    assert auc(np.zeros(5), np.array([True, False, True, False, False])) == 0.5


def test_auc_is_global_over_rows_and_null_with_one_class() -> None:
    # A group with only negatives still contributes pairs to the global AUC.
    result = metrics_of([0.9, 0.1, 0.5], [1, 0, 0], [2, 1])
    assert result["auc"] == 1.0
    assert metrics_of([0.3, 0.2], [0, 0], [2])["auc"] is None
    assert metrics_of([0.3, 0.2], [0, 0], [2])["ndcg_at_10"] is None


def test_vectorised_ndcg_matches_naive_loop() -> None:
    rng = np.random.default_rng(3)
    groups = rng.integers(1, 40, size=200)
    rows = int(groups.sum())
    labels = np.where(rng.random(rows) < 0.2, rng.integers(1, 6, size=rows), 0).astype(float)
    scores = np.round(rng.normal(size=rows), 1)  # rounding makes many ties
    expected, evaluated = reference_ndcg(scores.tolist(), labels.tolist(), groups.tolist())
    result = GroupedLabels(labels, groups).evaluate(scores)
    assert result.ndcg_at_10 == pytest.approx(expected, abs=1e-12)
    assert result.groups_evaluated == evaluated


def test_metrics_command_on_external_scores(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    data = write_dataset(tmp_path / "data", rows=(300, 200, 150), features=3, seed=1)
    meta = json.loads((data / "meta.json").read_text())
    labels = np.fromfile(data / "holdout.labels.f32", dtype="<f4")
    groups = np.fromfile(data / "holdout.groups.u32", dtype="<u4")
    scores = np.random.default_rng(0).normal(size=meta["splits"]["holdout"]["rows"])
    scores.astype("<f8").tofile(tmp_path / "scores.f64")
    result = cli("metrics", "--data", str(data), "--split", "holdout", "--scores", str(tmp_path / "scores.f64"))
    assert result.code == 0
    expected, evaluated = reference_ndcg(scores.tolist(), labels.tolist(), groups.tolist())
    assert result.output["split"] == "holdout"
    assert result.output["ndcg_at_10"] == pytest.approx(expected, abs=1e-12)
    assert result.output["groups_evaluated"] == evaluated
    assert result.output["rows"] == 150
    assert set(result.output) >= {"hr_at_10", "auc", "groups"}
