"""Ranking metrics shared by training (early stopping, objective choice), the report and `metrics`.

One implementation for all three so the gate compares like with like; the TypeScript side cross-checks
its own metric code against this one through the `metrics` command. Definitions are in README.md.
Everything is vectorised over groups because it runs once per boosting round on the valid split.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

K = 10


@dataclass(frozen=True)
class RankingMetrics:
    """Metrics of one score vector on one split; NaN where undefined (no evaluable group / one class)."""

    ndcg_at_10: float
    hr_at_10: float
    auc: float
    groups_evaluated: int
    groups: int
    rows: int

    def to_json(self) -> dict[str, float | int | None]:
        def clean(value: float) -> float | None:
            return None if math.isnan(value) else value

        return {
            "ndcg_at_10": clean(self.ndcg_at_10),
            "hr_at_10": clean(self.hr_at_10),
            "auc": clean(self.auc),
            "groups_evaluated": self.groups_evaluated,
            "groups": self.groups,
            "rows": self.rows,
        }


class GroupedLabels:
    """Precomputes everything about a split that does not depend on the scores.

    The ideal DCG and the group index are computed once, so scoring a new score vector (every boosting
    round) costs one stable sort.
    """

    def __init__(self, labels: npt.NDArray[np.floating], groups: npt.NDArray[np.integer], k: int = K) -> None:
        self.k = k
        self.labels = np.asarray(labels, dtype=np.float64)
        sizes = np.asarray(groups, dtype=np.int64)
        if int(sizes.sum()) != self.labels.shape[0]:
            raise ValueError(f"group sizes sum to {int(sizes.sum())}, expected {self.labels.shape[0]} rows")
        self.group_count = int(sizes.shape[0])
        self.group_of_row = np.repeat(np.arange(self.group_count), sizes)
        starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
        self.position = np.arange(self.labels.shape[0]) - starts[self.group_of_row]
        in_top = self.position < k
        self.discount = np.where(in_top, 1.0 / np.log2(self.position + 2.0), 0.0)
        self.in_top = in_top
        self.gains = np.exp2(self.labels) - 1.0
        self.ideal_dcg = self._dcg(np.lexsort((-self.labels, self.group_of_row)))
        self.evaluated = self.ideal_dcg > 0.0
        self.positive = self.labels > 0.0

    def _order(self, scores: npt.NDArray[np.floating]) -> npt.NDArray[np.intp]:
        """Rows sorted by group, then by descending score; ties keep row order (lexsort is stable)."""
        return np.lexsort((-np.asarray(scores, dtype=np.float64), self.group_of_row))

    def _dcg(self, order: npt.NDArray[np.intp]) -> npt.NDArray[np.float64]:
        # Groups are contiguous, so after sorting by group the k-th row of `order` still sits at
        # `position[k]` within its group: the precomputed discount applies unchanged.
        weights = self.gains[order] * self.discount
        return np.asarray(np.bincount(self.group_of_row, weights=weights, minlength=self.group_count), dtype=np.float64)

    def ndcg(self, scores: npt.NDArray[np.floating]) -> float:
        """Mean NDCG@k over groups with at least one positive label; NaN if there is none."""
        if not self.evaluated.any():
            return math.nan
        dcg = self._dcg(self._order(scores))
        return float(np.mean(dcg[self.evaluated] / self.ideal_dcg[self.evaluated]))

    def hit_rate(self, scores: npt.NDArray[np.floating]) -> float:
        """Share of evaluated groups with at least one positive among their top k rows."""
        if not self.evaluated.any():
            return math.nan
        order = self._order(scores)
        hits = np.bincount(self.group_of_row, weights=(self.positive[order] & self.in_top), minlength=self.group_count)
        return float(np.mean(hits[self.evaluated] > 0))

    def evaluate(self, scores: npt.NDArray[np.floating]) -> RankingMetrics:
        """All metrics at once for the report and the metrics command."""
        scores = np.asarray(scores, dtype=np.float64)
        if scores.shape != self.labels.shape:
            raise ValueError(f"{scores.shape[0]} scores for {self.labels.shape[0]} rows")
        return RankingMetrics(
            ndcg_at_10=self.ndcg(scores),
            hr_at_10=self.hit_rate(scores),
            auc=auc(scores, self.positive),
            groups_evaluated=int(self.evaluated.sum()),
            groups=self.group_count,
            rows=int(self.labels.shape[0]),
        )


def auc(scores: npt.NDArray[np.floating], positive: npt.NDArray[np.bool_]) -> float:
    """Global ROC AUC (Mann-Whitney U), ties counted half; NaN if either class is absent.

    Global over rows rather than per group: it answers "does the model separate engaged from ignored
    candidates at all", which per-group NDCG cannot tell when most groups have one positive.
    """
    scores = np.asarray(scores, dtype=np.float64)
    n_pos = int(np.count_nonzero(positive))
    n_neg = int(positive.shape[0]) - n_pos
    if n_pos == 0 or n_neg == 0:
        return math.nan
    order = np.argsort(scores, kind="stable")
    sorted_scores = scores[order]
    new_block = np.concatenate(([True], sorted_scores[1:] != sorted_scores[:-1]))
    block_of = np.cumsum(new_block) - 1
    block_start = np.flatnonzero(new_block)
    block_end = np.append(block_start[1:], scores.shape[0])
    mid_rank = (block_start + 1 + block_end) / 2.0  # 1-based ranks start+1..end, averaged over the tie block
    ranks = np.empty(scores.shape[0], dtype=np.float64)
    ranks[order] = mid_rank[block_of]
    u = float(ranks[positive].sum()) - n_pos * (n_pos + 1) / 2.0
    return u / (n_pos * n_neg)
