"""LightGBM training: default parameters, the two candidate objectives, early stopping and the choice.

Both candidates are early-stopped and compared on the same NDCG@10 (metrics.py), not on LightGBM's own
ndcg metric, because LightGBM scores groups without any positive as 1.0, which would reward nothing.
Determinism (same data + settings → byte-identical model.txt) comes from deterministic=True,
force_row_wise=True, one seed and a fixed thread count; nothing here reads the clock or the machine.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import lightgbm as lgb
import numpy as np
import numpy.typing as npt

from streamrec_trainer.dataset import Split
from streamrec_trainer.ensemble import average_boosters, member_split
from streamrec_trainer.errors import InputError
from streamrec_trainer.metrics import GroupedLabels

OBJECTIVES = ("lambdarank", "rank_xendcg", "binary")
RANKING_OBJECTIVES = ("lambdarank", "rank_xendcg")
"""Both ranking objectives learn from the graded labels grouped by request; binary from label > 0 per row."""

DEFAULT_PARAMS: dict[str, Any] = {
    "boosting": "gbdt",
    "learning_rate": 0.02,
    "num_iterations": 1500,
    "early_stopping_round": 100,
    "num_leaves": 63,
    "max_depth": -1,
    "min_data_in_leaf": 50,
    "min_sum_hessian_in_leaf": 1e-3,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "max_bin": 255,
    "verbosity": -1,
}
"""Production defaults, overridable by --params. Up to 1,500 rounds at 0.02 with early stopping after 100
rounds without gain: a small shrinkage trades training time (seconds here) for a model that generalises
better than 0.05 did — on the Amazon Beauty eval's logged training set, the holdout NDCG@10 rose for each
of 4 negative-sampling seeds (.4899 → .4969 on average; docs/evaluation.md, runs 6 and 7). It lands around
100-350 trees; 63 leaves matches the serving budget measured in FACTS.md."""

ENSEMBLE_LEARNING_RATE = 0.05
"""The learning rate of ensemble members (--ensemble > 1) unless --params sets one. Averaging does what the
smaller rate did for one model: on the Amazon Beauty eval's logged training set 4 members at 0.05 scored the
same holdout NDCG@10 as 4 at 0.02 (.5043 and .5040) with 729 trees instead of 1,317, and the eval's ranker
stage passed its target with both (docs/evaluation.md, runs 8 and 9); the API scores every tree of every
member, so the cheaper one is the default."""

FORCED_PARAMS: dict[str, Any] = {"deterministic": True, "force_row_wise": True, "metric": "None"}
"""Always applied: reproducibility, and no built-in metric (ours is passed as feval)."""

RESERVED_KEYS = {
    "objective": "use --objective",
    "application": "use --objective",
    "app": "use --objective",
    "loss": "use --objective",
    "seed": "use --seed",
    "random_seed": "use --seed",
    "random_state": "use --seed",
    "num_threads": "use --threads",
    "num_thread": "use --threads",
    "nthread": "use --threads",
    "nthreads": "use --threads",
    "n_jobs": "use --threads",
    "deterministic": "always true",
    "force_row_wise": "always true",
    "force_col_wise": "force_row_wise is always true",
    "metric": "the metric is always NDCG@10 of metrics.py",
    "label_gain": "derived from the grades (2**grade - 1)",
    "zero_as_missing": "NaN is the only missing value (the ONNX export relies on it)",
    "categorical_feature": "features are numeric",
    "linear_tree": "the ONNX export supports plain trees only",
}
ROUND_ALIASES = ("num_iterations", "num_iteration", "n_iter", "num_tree", "num_trees", "num_round",
                 "num_rounds", "nrounds", "num_boost_round", "n_estimators", "max_iter")
PATIENCE_ALIASES = ("early_stopping_round", "early_stopping_rounds", "early_stopping", "n_iter_no_change")


@dataclass(frozen=True)
class Candidate:
    """One trained objective: the booster (members cut at their best iteration, averaged) and its valid NDCG@10."""

    objective: str
    booster: lgb.Booster
    params: dict[str, Any]
    best_iteration: int
    """Rounds kept, summed over the members (= the model's trees)."""
    valid_ndcg_at_10: float
    seconds: float
    member_iterations: tuple[int, ...] = ()
    member_valid_ndcg_at_10: tuple[float, ...] = ()


def resolve_params(overrides: dict[str, Any], *, seed: int, threads: int, members: int = 1) -> tuple[dict[str, Any], int, int]:
    """Merges --params over the defaults (ENSEMBLE_LEARNING_RATE for ensemble members); returns (lightgbm
    params, max rounds, early-stopping patience)."""
    known = _known_parameter_names()
    for key in overrides:
        if key in RESERVED_KEYS:
            raise InputError(f"--params: {key!r} cannot be set here ({RESERVED_KEYS[key]})")
        if known and key not in known:
            raise InputError(f"--params: {key!r} is not a LightGBM {lgb.__version__} parameter (nor an alias of one)")
    params = {**DEFAULT_PARAMS}
    if members > 1:
        params["learning_rate"] = ENSEMBLE_LEARNING_RATE
    for key, value in overrides.items():
        if key in ROUND_ALIASES:
            params["num_iterations"] = value
        elif key in PATIENCE_ALIASES:
            params["early_stopping_round"] = value
        else:
            params[key] = value
    rounds = params.pop("num_iterations")
    patience = params.pop("early_stopping_round")
    if not isinstance(rounds, int) or isinstance(rounds, bool) or rounds < 1:
        raise InputError(f"--params: num_iterations must be a positive integer, got {rounds!r}")
    if not isinstance(patience, int) or isinstance(patience, bool) or patience < 0:
        raise InputError(f"--params: early_stopping_round must be an integer >= 0 (0 = off), got {patience!r}")
    params.update(FORCED_PARAMS)
    params["seed"] = seed
    params["num_threads"] = threads
    return params, rounds, patience


def _known_parameter_names() -> set[str]:
    """All LightGBM parameter names and aliases: a typo in --params would otherwise be ignored silently
    (verbosity -1 hides LightGBM's own "Unknown parameter" warning). Empty if this private helper of
    the pinned LightGBM ever disappears, which only switches the check off."""
    try:
        table = lgb.basic._ConfigAliases._get_all_param_aliases()
    except AttributeError:
        return set()
    return {name for aliases in table.values() for name in aliases} | set(table)


def objective_params(objective: str, base: dict[str, Any], max_grade: int) -> dict[str, Any]:
    """Adds what one objective needs; label_gain follows the NDCG gain 2**grade - 1 up to the top grade."""
    params = {**base, "objective": objective}
    if objective == "lambdarank":
        params["label_gain"] = [float(2**grade - 1) for grade in range(max(1, max_grade) + 1)]
    return params


def choose(candidates: list[Candidate]) -> Candidate:
    """Highest valid NDCG@10 wins; on an exact tie the earlier candidate (in OBJECTIVES order) is kept."""
    best = candidates[0]
    for candidate in candidates[1:]:
        if candidate.valid_ndcg_at_10 > best.valid_ndcg_at_10:
            best = candidate
    return best


def train_candidate(
    objective: str,
    params: dict[str, Any],
    feature_names: tuple[str, ...],
    rounds: int,
    patience: int,
    train: Split,
    valid: Split,
    log: Callable[[str], None],
    members: int = 1,
) -> Candidate:
    """Trains `members` boosters of one objective (ensemble.py: each on its share of the negatives), each
    early-stopped on valid NDCG@10, and averages them into one booster."""
    assert valid.features is not None
    valid_labels = GroupedLabels(valid.labels, valid.groups)
    boosters: list[lgb.Booster] = []
    bests: list[int] = []
    member_scores: list[float] = []
    seconds = 0.0
    for member in range(members):
        name = objective if members == 1 else f"{objective} member {member + 1}/{members}"
        booster, best, member_score, took = _train_member(name, objective, params, feature_names, rounds, patience,
                                            member_split(train, member, members), valid, valid_labels, log)
        boosters.append(booster)
        bests.append(best)
        member_scores.append(member_score)
        seconds += took
    if members == 1:  # the booster is the model, already scored on valid
        return Candidate(objective=objective, booster=boosters[0], params=params, best_iteration=bests[0],
                         valid_ndcg_at_10=member_scores[0], seconds=seconds, member_iterations=tuple(bests))
    merged = average_boosters(boosters)
    score = _valid_ndcg(merged, valid, valid_labels, params)
    log(f"{objective}: {members} members averaged ({merged.num_trees()} trees), valid NDCG@10 {score:.5f} "
        f"(members {', '.join(f'{value:.5f}' for value in member_scores)})")
    return Candidate(objective=objective, booster=merged, params=params, best_iteration=sum(bests),
                     valid_ndcg_at_10=score, seconds=seconds, member_iterations=tuple(bests),
                     member_valid_ndcg_at_10=tuple(member_scores))


def _valid_ndcg(booster: lgb.Booster, valid: Split, labels: GroupedLabels, params: dict[str, Any]) -> float:
    return labels.ndcg(np.asarray(booster.predict(valid.features, raw_score=True, num_threads=params["num_threads"])))


def _train_member(
    name: str,
    objective: str,
    params: dict[str, Any],
    feature_names: tuple[str, ...],
    rounds: int,
    patience: int,
    train: Split,
    valid: Split,
    valid_labels: GroupedLabels,
    log: Callable[[str], None],
) -> tuple[lgb.Booster, int, float, float]:
    """Trains one booster with early stopping on valid NDCG@10; returns (booster cut at the best round,
    that round, its valid NDCG@10, seconds)."""
    assert train.features is not None and valid.features is not None
    train_label = train.labels if objective in RANKING_OBJECTIVES else (train.labels > 0).astype(np.float32)
    train_set = lgb.Dataset(train.features, label=train_label, group=_group_or_none(objective, train),
                            feature_name=list(feature_names), free_raw_data=True)
    valid_set = lgb.Dataset(valid.features, label=valid.labels, reference=train_set, free_raw_data=True)

    def ndcg_at_10(preds: npt.NDArray[np.float64], _data: lgb.Dataset) -> tuple[str, float, bool]:
        value = valid_labels.ndcg(preds)
        return "ndcg@10", (-1.0 if math.isnan(value) else value), True

    progress = _Progress(log, name)
    callbacks: list[Callable[..., None]] = [progress]
    if patience > 0:
        callbacks.append(lgb.early_stopping(patience, first_metric_only=True, verbose=False))
    started = time.perf_counter()
    try:
        booster = lgb.train(params, train_set, num_boost_round=rounds, valid_sets=[valid_set],
                            valid_names=["valid"], feval=ndcg_at_10, callbacks=callbacks)
    except lgb.basic.LightGBMError as error:
        raise InputError(f"LightGBM refused the training ({name}): {error}") from None
    seconds = time.perf_counter() - started
    best = booster.best_iteration if booster.best_iteration > 0 else booster.current_iteration()
    cut = lgb.Booster(model_str=booster.model_to_string(num_iteration=best))
    score = _valid_ndcg(cut, valid, valid_labels, params)
    log(f"{name}: {best} trees kept (of {progress.rounds} trained), valid NDCG@10 {score:.5f}, {seconds:.1f} s")
    return cut, best, score, seconds


def _group_or_none(objective: str, split: Split) -> npt.NDArray[np.uint32] | None:
    """The ranking objectives need the query structure; binary treats rows independently."""
    return split.groups if objective in RANKING_OBJECTIVES else None


class _Progress:
    """LightGBM callback: a progress line every `every` rounds on stderr, and the count of rounds run."""

    order = 5  # after LightGBM's own callbacks have recorded the round's scores

    def __init__(self, log: Callable[[str], None], objective: str, every: int = 50) -> None:
        self.log, self.objective, self.every, self.rounds = log, objective, every, 0

    def __call__(self, env: lgb.callback.CallbackEnv) -> None:
        self.rounds = env.iteration + 1
        if self.rounds % self.every == 0 and env.evaluation_result_list:
            value = env.evaluation_result_list[0][2]
            self.log(f"{self.objective}: round {self.rounds}, valid NDCG@10 {value:.5f}")


def route_lightgbm_logs() -> None:
    """LightGBM's C++ side prints warnings to stdout, where they would corrupt the JSON result."""

    class _ToStderr:
        def info(self, message: str) -> None:
            if message.strip():
                print(f"[lightgbm] {message.rstrip()}", file=sys.stderr)

        def warning(self, message: str) -> None:
            self.info(message)

    lgb.register_logger(_ToStderr())
