"""LightGBM → ONNX export whose scores equal LightGBM's raw scores, and the check that they do.

Two sources of disagreement between LightGBM (double arithmetic) and onnxruntime's TreeEnsemble
(float32 thresholds and float32 accumulation) are removed here rather than tolerated:

* Thresholds. LightGBM splits at the midpoint between two feature values, stored as a double. ONNX
  stores thresholds as float32, rounded to nearest; when that rounds *up* onto the next feature value,
  rows with exactly that value take the other branch — a whole leaf value of error, not a rounding
  error. Since inputs are float32, `x <= t` is equivalent to `x <= t32` where t32 is the largest float32
  not above t. `snap_thresholds` rewrites every numeric threshold that way *in the LightGBM model
  itself*, so model.txt, LightGBM's predictions and the ONNX graph all make identical decisions.
* Accumulation. onnxruntime sums leaf values in float32, so the error grows with the number of trees
  (FACTS.md: 2e-6..7e-6 at 300 trees). The converter's `split` option makes one TreeEnsemble node per
  TREES_PER_NODE trees and sums their outputs in double, which keeps the error flat at any model size.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import lightgbm as lgb
import numpy as np
import numpy.typing as npt
import onnx
import onnxruntime as ort
from onnxmltools import convert_lightgbm
from onnxmltools.convert.common.data_types import FloatTensorType

from streamrec_trainer.errors import ParityError

INPUT_NAME = "features"  # the ranker contract (packages/ranking/src/onnx/ranker-io.ts: RANKER_INPUT)
OUTPUT_NAME = "score"
TARGET_OPSET = 15  # onnxmltools 1.16 refuses 17 (FACTS.md)
TREES_PER_NODE = 25
PARITY_BOUND = 1e-5
GRAPH_NAME = "streamrec_ranker"


@dataclass(frozen=True)
class Parity:
    """Outcome of scoring the holdout with onnxruntime and with LightGBM."""

    max_abs_diff: float
    rows: int
    lightgbm_scores: npt.NDArray[np.float64]


def snap_thresholds(model_text: str) -> str:
    """Returns the model with every numeric threshold lowered to the largest float32 not above it.

    The `tree_sizes=` header line (byte offsets for parallel loading) is dropped because the edit
    changes the sizes; LightGBM then parses sequentially, and re-saving writes correct sizes again.
    """
    lines = [line for line in model_text.split("\n") if not line.startswith("tree_sizes=")]
    thresholds_at: int | None = None
    for index, line in enumerate(lines):
        if line.startswith("Tree="):
            thresholds_at = None
        elif line.startswith("threshold="):
            thresholds_at = index
        elif line.startswith("decision_type=") and thresholds_at is not None:
            kinds = [int(value) for value in line[len("decision_type="):].split()]
            values = lines[thresholds_at][len("threshold="):].split()
            lines[thresholds_at] = "threshold=" + " ".join(_snap(values, kinds))
            thresholds_at = None
    return "\n".join(lines)


def _snap(values: list[str], kinds: list[int]) -> list[str]:
    if len(values) != len(kinds):
        raise ValueError(f"model text has {len(values)} thresholds for {len(kinds)} decision types")
    snapped = []
    for text, kind in zip(values, kinds):
        if kind & 1:  # categorical split: the threshold indexes a bitset, it is not a number to compare
            snapped.append(text)
            continue
        exact = float(text)
        low = np.float32(exact)
        if float(low) > exact:
            low = np.nextafter(low, np.float32(-np.inf))
        snapped.append(repr(float(low)) if np.isfinite(low) else text)
    return snapped


def raw_score_twin(booster: lgb.Booster) -> lgb.Booster:
    """A copy whose objective reads as plain regression, so the converter emits raw scores.

    For `binary` the converter would add a sigmoid and a label output; the trees (including the
    boost-from-average bias folded into the first tree) are the same, so relabelling the objective in
    the text is exactly "export the raw score". The copy is used for conversion only.
    """
    text = booster.model_to_string()
    header = next((line for line in text.split("\n") if line.startswith("objective=")), "objective=")
    if header.startswith(("objective=lambdarank", "objective=rank_xendcg", "objective=regression")):
        return booster
    out = []
    for line in text.split("\n"):
        if line.startswith("objective="):
            line = "objective=regression"
        elif line.startswith("[objective: "):
            line = "[objective: regression]"
        out.append(line)
    return lgb.Booster(model_str="\n".join(out))


def to_onnx(booster: lgb.Booster, feature_names: tuple[str, ...], objective: str) -> bytes:
    """Converts to ONNX: input `features` float32 [N, F], output `score` float32 [N, 1] = raw score."""
    twin = raw_score_twin(booster)
    trees = twin.num_trees()
    model = convert_lightgbm(
        twin,
        name=GRAPH_NAME,  # the default is a random uuid, which would break byte-identical exports
        initial_types=[(INPUT_NAME, FloatTensorType([None, len(feature_names)]))],
        target_opset=TARGET_OPSET,
        zipmap=False,
        split=TREES_PER_NODE if trees > TREES_PER_NODE else None,
    )
    _rename_output(model, OUTPUT_NAME)
    _sort_opset_imports(model)
    model.doc_string = f"streamrec ranker ({objective}); output {OUTPUT_NAME} = LightGBM raw score"
    for key, value in (("streamrec.feature_names", json.dumps(list(feature_names))),
                       ("streamrec.objective", objective),
                       ("streamrec.output", "raw_score")):
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.checker.check_model(model)
    return bytes(model.SerializeToString())


def _sort_opset_imports(model: onnx.ModelProto) -> None:
    """The converter fills opset_import from a set of (domain, version) tuples, so its order follows
    Python's per-process string hash seed and the bytes differ between runs; sort it (default first)."""
    entries = sorted(((entry.domain, entry.version) for entry in model.opset_import),
                     key=lambda entry: (entry[0] not in ("", "ai.onnx"), entry[0]))
    del model.opset_import[:]
    for domain, version in entries:
        added = model.opset_import.add()
        added.domain, added.version = domain, version


def _rename_output(model: onnx.ModelProto, name: str) -> None:
    graph = model.graph
    if len(graph.output) != 1:
        raise ParityError(f"converter produced {len(graph.output)} outputs, expected 1")
    old = graph.output[0].name
    taken = {value for node in graph.node for value in (*node.input, *node.output)} | {i.name for i in graph.input}
    if name in taken and name != old:
        raise ParityError(f"cannot rename output {old!r} to {name!r}: the name is already used in the graph")
    for node in graph.node:
        for index, value in enumerate(node.output):
            if value == old:
                node.output[index] = name
        for index, value in enumerate(node.input):
            if value == old:
                node.input[index] = name
    graph.output[0].name = name


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_parity(onnx_bytes: bytes, booster: lgb.Booster, features: npt.NDArray[np.float32], threads: int) -> Parity:
    """Scores `features` both ways; raises ParityError when max |Δ| exceeds PARITY_BOUND."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1  # like the API (FACTS.md); also keeps the result reproducible
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    session = ort.InferenceSession(onnx_bytes, options, providers=["CPUExecutionProvider"])
    inputs, outputs = session.get_inputs(), session.get_outputs()
    if [i.name for i in inputs] != [INPUT_NAME] or [o.name for o in outputs] != [OUTPUT_NAME]:
        raise ParityError(f"ONNX signature is {[i.name for i in inputs]} → {[o.name for o in outputs]}, "
                          f"expected [{INPUT_NAME!r}] → [{OUTPUT_NAME!r}]")
    result = np.asarray(session.run([OUTPUT_NAME], {INPUT_NAME: features})[0])
    if result.shape != (features.shape[0], 1):
        raise ParityError(f"ONNX output has shape {result.shape}, expected ({features.shape[0]}, 1)")
    reference = np.asarray(booster.predict(features, raw_score=True, num_threads=threads), dtype=np.float64)
    delta = np.abs(result[:, 0].astype(np.float64) - reference)
    worst = int(np.argmax(delta)) if delta.size else 0
    max_abs = float(delta[worst]) if delta.size else 0.0
    if not np.isfinite(max_abs) or max_abs > PARITY_BOUND:
        raise ParityError(
            f"ONNX scores differ from LightGBM raw scores by up to {max_abs:.3g} on the holdout "
            f"(row {worst}: onnxruntime {float(result[worst, 0])!r}, LightGBM {float(reference[worst])!r}); "
            f"the bound is {PARITY_BOUND:g}. The model was not written."
        )
    return Parity(max_abs_diff=max_abs, rows=int(features.shape[0]), lightgbm_scores=reference)


def snapped_booster(booster: lgb.Booster, probe: npt.NDArray[np.float32], threads: int) -> lgb.Booster:
    """Applies snap_thresholds and proves on `probe` rows that LightGBM's scores did not move at all."""
    reloaded = lgb.Booster(model_str=snap_thresholds(booster.model_to_string()))
    snapped = lgb.Booster(model_str=reloaded.model_to_string())  # canonical text, tree_sizes restored
    before = booster.predict(probe, raw_score=True, num_threads=threads)
    after = snapped.predict(probe, raw_score=True, num_threads=threads)
    if not np.array_equal(before, after):
        moved = int(np.count_nonzero(before != after))
        raise ParityError(f"lowering thresholds to float32 changed LightGBM's scores on {moved} row(s); "
                          "this should be impossible for float32 inputs")
    return snapped
