"""The wrappers of the project's binaries, run on the small sample shop."""

import pandas as pd
import pytest

from shop_recommender import ToolError, tools



@pytest.fixture(scope="module")
def split(snapshot):
    """A time split holding out the sample's last two weeks."""
    data_end = pd.Timestamp(snapshot.manifest["data_end"])
    return f"time:{(data_end - pd.Timedelta(days=14)).date()}"


def test_train_shows_progress_and_returns_the_snapshot(snapshot, training_lines):
    assert snapshot.version == 7
    assert snapshot.manifest["parameters"]["epochs"] == "8"
    assert any(line.startswith("epoch 8/8: loss") for line in training_lines)
    assert any(line.startswith("wrote model version 7 to ") for line in training_lines)


def test_train_without_a_version_opens_the_one_written(shop_dir, tmp_path, binaries):
    # --tune=off: the self-tuning would treat factors=8 as its starting point.
    snap = tools.train(shop_dir, tmp_path, epochs=2, factors=8, tune="off",
                       binaries=binaries, progress=False)
    assert snap.version > 20260000000000  # the UTC training time, YYYYMMDDhhmmss
    assert snap.item_embeddings.shape[1] == 8


def test_evaluate(shop_dir, binaries, split):
    lines = []
    result = tools.evaluate(shop_dir, split, k=5, seed=3, binaries=binaries,
                            progress=lines.append, epochs=4, factors=16)
    assert result["k"] == 5
    assert result["split"]["spec"] == split
    assert set(result["models"]) == {"popularity", "rebuy", "rebuy_popular", "ials",
                                     "itemknn", "ease", "default"}
    assert any("task new" in line for line in lines)
    metrics = tools.evaluation_metrics(result)
    assert list(metrics.columns) == ["model", "task", "metric", "k", "value"]
    assert set(metrics["task"]) == {"all", "new"}
    assert set(metrics["k"]) == {5}
    ndcg = metrics[metrics.metric == "ndcg"].set_index(["model", "task"])["value"]
    assert ndcg.between(0, 1).all()
    assert ndcg[("default", "all")] == result["models"]["default"]["all"]["ndcg@5"]


def test_evaluate_at_several_ks(shop_dir, binaries, split):
    metrics = tools.evaluate_at_ks(shop_dir, split, ks=(1, 5), models=["popularity", "ials"],
                                   seed=3, binaries=binaries, progress=False, epochs=3,
                                   factors=8)
    assert set(metrics["k"]) == {1, 5}
    assert set(metrics["model"]) == {"popularity", "ials"}
    recall = metrics[metrics.metric == "recall"].pivot_table(
        index=["model", "task"], columns="k", values="value")
    assert (recall[5] >= recall[1]).all()


def test_tune(shop_dir, binaries, split):
    table = tools.tune(shop_dir, split, grid={"factors": [8, 16]}, epochs=3, seed=1,
                       binaries=binaries, progress=False)
    assert list(table["factors"]) == [8, 16]
    assert {"all/ndcg@10", "new/ndcg@10"} <= set(table.columns)
    assert table["new/ndcg@10"].between(0, 1).all()


def test_fit_btyd(shop_dir, binaries, snapshot):
    fit = tools.fit_btyd(shop_dir, time_unit="day", per_customer=True, horizon_days=30,
                         binaries=binaries, progress=False)
    assert fit["time_unit"] == "day"
    assert fit["bgnbd"]["r"] > 0 and fit["gamma_gamma"]["p"] > 0
    per_customer = fit["per_customer"]
    assert len(per_customer) == fit["customers"]
    assert per_customer["p_active"].between(0, 1).all()
    assert set(per_customer["customer_id"]) <= set(snapshot.customers["customer_id"])


def test_a_failed_run_raises_tool_error(shop_dir, binaries):
    with pytest.raises(ToolError) as raised:
        tools.evaluate(shop_dir, "sideways", binaries=binaries, progress=False)
    assert raised.value.tool == "evaluate"
    assert raised.value.returncode != 0
    assert "split" in raised.value.output


def test_a_missing_binary_says_how_to_build_it(tmp_path):
    binaries = tools.Binaries(bazel_bin=str(tmp_path))
    with pytest.raises(FileNotFoundError, match="bazel build //training/tuning:tune"):
        binaries.path("tune")
    with pytest.raises(ValueError, match="unknown binaries"):
        tools.Binaries(paths={"trainer": "/bin/true"})


def test_flags():
    assert tools.flags(k=10, models=["a", "b"], verbose=True, quiet=False, x=None) == [
        "--k=10", "--models=a,b", "--verbose=true", "--quiet=false"]


def test_local_server_reports_a_failed_start(tmp_path, binaries):
    with pytest.raises(ToolError, match="server exited"):
        tools.LocalServer(tmp_path, binaries=binaries, clock="sometimes").start()

