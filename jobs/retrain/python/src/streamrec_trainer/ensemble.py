"""Negative-bagged ensembles: K members, each trained on every positive and its own share of the negatives,
averaged into one LightGBM model.

The extractor samples K × negatives-per-positive negatives per request (jobs/retrain, `--ensemble`), in a
seeded hash order. Member m keeps every positive of a group and the negatives at positions m, m + K,
m + 2K, … of that group, so the members see disjoint negative samples of the usual size. Averaging them
lowers the variance that one negative sample puts into a ranker: on the Amazon Beauty eval's logged
training set, 4 members beat the mean single member by .0074 and .0045 holdout NDCG@10 (two sets of
sampling seeds), while one model trained on all 40 negatives per positive did worse than a single member
(docs/evaluation.md, run 8). Members with different LightGBM seeds on the same sample gained nothing.

The average is stored as one ordinary LightGBM model — the members' trees one after the other, each leaf
value divided by K — so model.txt, the ONNX export, the parity check and feature importance need nothing
new, and the served score equals the mean of the members' raw scores.
"""

from __future__ import annotations

import lightgbm as lgb
import numpy as np

from streamrec_trainer.dataset import Split


def member_split(split: Split, member: int, members: int) -> Split:
    """The rows of `split` member `member` of `members` trains on: all positives, every members-th negative."""
    if members == 1:
        return split
    assert split.features is not None
    sizes = split.groups.astype(np.int64)
    group_of_row = np.repeat(np.arange(sizes.shape[0]), sizes)
    negative = split.labels <= 0
    negatives_through = np.cumsum(negative)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)
    negatives_before_group = negatives_through[starts] - negative[starts] if sizes.shape[0] > 0 else starts
    rank_in_group = negatives_through - 1 - negatives_before_group[group_of_row]
    keep = ~negative | (rank_in_group % members == member)
    kept_groups = np.bincount(group_of_row[keep], minlength=sizes.shape[0]).astype(np.uint32)
    return Split(name=f"{split.name}[member {member + 1}/{members}]", features=split.features[keep],
                 labels=split.labels[keep], groups=kept_groups[kept_groups > 0])


def average_boosters(boosters: list[lgb.Booster]) -> lgb.Booster:
    """One booster whose raw score is the mean of the members' raw scores (same features, same objective)."""
    if len(boosters) == 1:
        return boosters[0]
    scale = 1.0 / len(boosters)
    texts = [booster.model_to_string() for booster in boosters]
    header, _, _ = _split_model(texts[0])
    trees: list[list[str]] = []
    for text in texts:
        member_header, member_trees, _ = _split_model(text)
        if _comparable(member_header) != _comparable(header):
            raise ValueError("ensemble members differ in features or objective")
        trees.extend(_scaled(tree, scale) for tree in member_trees)
    body: list[str] = []
    for index, tree in enumerate(trees):
        body.append(f"Tree={index}")
        body.extend(tree[1:])
    text = "\n".join([*header, *body, "end of trees", ""])
    merged = lgb.Booster(model_str=text)
    return lgb.Booster(model_str=merged.model_to_string())  # canonical text: tree_sizes, importances


def _split_model(text: str) -> tuple[list[str], list[list[str]], list[str]]:
    """(header lines without tree_sizes, tree blocks as lines, the lines after `end of trees`)."""
    lines = text.split("\n")
    first_tree = next(index for index, line in enumerate(lines) if line.startswith("Tree="))
    end = lines.index("end of trees")
    header = [line for line in lines[:first_tree] if not line.startswith("tree_sizes=")]
    trees: list[list[str]] = []
    for line in lines[first_tree:end]:
        if line.startswith("Tree="):
            trees.append([line])
        elif trees:
            trees[-1].append(line)
    return header, trees, lines[end + 1:]


def _comparable(header: list[str]) -> list[str]:
    return [line for line in header if line.startswith(("objective=", "feature_names=", "max_feature_idx=",
                                                          "num_class=", "num_tree_per_iteration="))]


def _scaled(tree: list[str], scale: float) -> list[str]:
    out = []
    for line in tree:
        if line.startswith("leaf_value="):
            values = [float(value) * scale for value in line[len("leaf_value="):].split()]
            line = "leaf_value=" + " ".join(repr(value) for value in values)
        out.append(line)
    return out
