"""The example script, end to end on a small shop."""

import os
import subprocess
import sys

EXAMPLE = os.path.join(os.path.dirname(__file__), "..", "examples", "train_evaluate_serve.py")


def test_example_runs_end_to_end(tmp_path, binaries):
    # The pipeline end to end; the self-tuning has tests of its own (and the
    # other client tests train with it), so it is off here to stay in time.
    run = subprocess.run(
        [sys.executable, EXAMPLE, f"--out={tmp_path}", f"--bazel_bin={binaries.bazel_bin}",
         "--customers=300", "--items=120", "--tune=off"],
        capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    out = run.stdout
    assert "nDCG@k on time:" in out
    for model in ("default", "popularity", "rebuy", "ials", "itemknn", "ease"):
        assert f" {model} " in out
    assert "nearest to " in out
    assert "picks for " in out
    assert "server's SimilarItems agrees with the snapshot's nearest items: True" in out
    png = tmp_path / "ndcg_at_k.png"
    with open(png, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 20000
