"""`gatescope evaluate`: the documented JSON keys, computed without torch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main as cli_main
from app.core.tokenizer import tokenize
from app.train.data import OTHER_FILE, TEST_BUCKETS, TEST_FILE, bucket, normalise, read_jsonl


def test_evaluate_json_keys(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["evaluate", "--model", "lstm-tiny", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert {"model", "accuracy", "n"} <= set(result)
    assert result["model"] == "lstm-tiny"
    assert result["n"] == len(read_jsonl(TEST_FILE))
    assert 0.5 < result["accuracy"] <= 1.0
    assert set(result["other_domains"]) == {"amazon", "tweets"}
    assert {"plain", "negation", "contrast"} <= set(result["behaviour"])


def test_suite_command_prints_both_parts(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["evaluate", "--model", "lstm-tiny", "--suite", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"model", "train_side", "heldout"}
    for part in ("train_side", "heldout"):
        assert all(0 <= v["accuracy"] <= 1 and v["n"] > 0 for v in result[part].values())


def test_evaluate_does_not_import_torch() -> None:
    code = ("import sys; import app.train.evaluate, app.train.data; "
            "assert 'torch' not in sys.modules, 'evaluate imported torch'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_committed_split_is_the_hash_split() -> None:
    """Every committed test sentence falls in the test buckets of its normalised token string, and
    no sentence appears twice (the split was made after deduplication)."""
    rows = read_jsonl(TEST_FILE) + read_jsonl(OTHER_FILE)
    keys = [normalise(r["text"]) for r in rows]
    assert len(set(keys)) == len(keys)
    assert all(bucket(k) in TEST_BUCKETS for k in keys)
    assert all(r["label"] in ("negative", "positive") for r in rows)
    assert {r["domain"] for r in read_jsonl(TEST_FILE)} == {"movies"}
    assert all(tokenize(r["text"]) for r in rows)


def test_the_model_s_answer_is_its_verdict(tmp_path: Path) -> None:
    """predict_label and accuracy read Trace.verdict: for a final-states model, the head on the
    final states, which here disagrees with the last step's answer on some sentences."""
    import numpy as np

    from app.core import load_model
    from app.train.evaluate import accuracy, predict_label
    from tests.modeldirs import random_model_dir

    vocab = ["<unk>", "good", "bad", "movie", "not", "."]
    model = load_model(random_model_dir(tmp_path / "fs", "lstm", vocab, 4, seed=2,
                                        bidirectional=True, head_input="final_states"))
    texts = [" ".join(words) for words in (("good", "movie", "."), ("not", "bad"), ("bad", "movie"),
                                           ("not", "good", "movie"), ("movie", "."), ("good", "bad"))]
    labels = list(model.config.labels)
    by_verdict = [labels[int(np.argmax(model.trace(t).verdict))] for t in texts]
    by_last = [labels[int(np.argmax(model.trace(t).probs[-1]))] for t in texts]
    assert [predict_label(model, t) for t in texts] == by_verdict
    assert accuracy(model, [{"text": t, "label": v} for t, v in zip(texts, by_verdict, strict=True)]) \
        == (1.0, len(texts))
    assert by_verdict != by_last  # else this test could not tell the two apart
