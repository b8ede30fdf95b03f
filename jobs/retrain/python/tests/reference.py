"""Deliberately naive, loop-based metric implementations used only to cross-check the vectorised ones."""

from __future__ import annotations

import math
from collections.abc import Sequence


def ndcg_at_10(scores: Sequence[float], labels: Sequence[float], groups: Sequence[int]) -> tuple[float, int]:
    """Mean NDCG@10 over groups with a positive label, and how many such groups there were."""
    total, evaluated, start = 0.0, 0, 0
    for size in groups:
        rows = list(range(start, start + size))
        start += size
        if not any(labels[row] > 0 for row in rows):
            continue
        ranked = sorted(rows, key=lambda row: (-scores[row], row))
        dcg = sum((2 ** labels[row] - 1) / math.log2(rank + 2) for rank, row in enumerate(ranked[:10]))
        ideal = sorted((labels[row] for row in rows), reverse=True)[:10]
        idcg = sum((2 ** label - 1) / math.log2(rank + 2) for rank, label in enumerate(ideal))
        total += dcg / idcg
        evaluated += 1
    return (total / evaluated if evaluated else math.nan), evaluated
