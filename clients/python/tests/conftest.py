"""Fixtures: a small generated shop, a model trained on it, and the real
server on 127.0.0.1 serving it (with an event log, ranking as of the data's
end). The binaries come from tools.Binaries(): under `bazel test` the
runfiles tree, given by SHOP_RECOMMENDER_BAZEL_BIN."""

import pytest

from shop_recommender import tools


@pytest.fixture(scope="session")
def binaries():
    return tools.Binaries()


@pytest.fixture(scope="session")
def shop_dir(tmp_path_factory, binaries):
    return tools.generate_sample_data(
        tmp_path_factory.mktemp("shop"), customers=300, items=120, days=120,
        binaries=binaries)


@pytest.fixture(scope="session")
def training_lines():
    """The progress lines the trainer printed, as the train() wrapper
    passed them on."""
    return []


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory, shop_dir, binaries, training_lines):
    models = tmp_path_factory.mktemp("models")
    # --tune=off: the model these tests read has the settings given here
    # (the self-tuning would take factors=32 as a starting point only).
    tools.train(shop_dir, models, version=7, epochs=8, factors=32, tune="off",
                binaries=binaries, progress=training_lines.append)
    return models


@pytest.fixture(scope="session")
def snapshot(model_dir):
    from shop_recommender import Snapshot
    return Snapshot.open(model_dir)


@pytest.fixture(scope="session")
def server(tmp_path_factory, model_dir, binaries):
    with tools.LocalServer(model_dir, event_log_dir=tmp_path_factory.mktemp("events"),
                           clock="data_end", binaries=binaries) as running:
        yield running


@pytest.fixture(scope="session")
def client(server):
    with server.client(timeout=20) as connected:
        connected.wait_for_model()
        yield connected
