"""The snapshot reader against GetModelInfo, SimilarItems and corrupt files."""

import os
import shutil

import numpy as np
import pandas as pd
import pytest

from shop_recommender import Snapshot, SnapshotError


def test_matches_get_model_info(snapshot, client):
    info = client.model_info()
    manifest = snapshot.manifest
    assert snapshot.version == manifest["version"] == info["model_version"]
    for name in ("trained_at", "data_end", "num_items", "num_customers", "num_events",
                 "embedding_dimension", "index_type", "parameters"):
        assert manifest[name] == info[name], name
    assert manifest["metrics"] == pytest.approx(info["training_metrics"])
    assert len(snapshot.items) == info["num_items"]
    assert len(snapshot.customers) == info["num_customers"]
    assert snapshot.item_embeddings.shape == (info["num_items"], info["embedding_dimension"])
    assert snapshot.customer_embeddings.shape[1] == info["embedding_dimension"]


def test_tables(snapshot):
    items = snapshot.items
    assert items["item_id"].is_unique
    assert set(items["durability"]) <= {"durable", "consumable", "unknown"}
    assert set(items["durability_source"]) <= {"catalog", "inferred"}
    customers = snapshot.customers
    assert customers["customer_id"].is_unique
    assert customers["factor_row"].max() < snapshot.customer_embeddings.shape[0]
    purchases = snapshot.purchases
    assert len(purchases) == snapshot.manifest["num_purchases"] == customers["num_purchases"].sum()
    assert set(purchases["item_id"]) <= set(items["item_id"])
    assert purchases["purchased_at"].max() <= pd.Timestamp(snapshot.manifest["data_end"])
    assert (purchases["quantity"] >= 1).all()
    timing = snapshot.timing
    assert timing["lifetime"]["bgnbd_r"] > 0
    assert len(timing["repurchase"]["items"]) == len(items)


def test_embeddings_are_memory_mapped_read_only(snapshot):
    vectors = snapshot.item_embeddings
    assert isinstance(vectors, np.memmap)
    assert vectors.dtype == np.float32
    assert np.isfinite(vectors).all()
    with pytest.raises(ValueError):
        vectors[0, 0] = 1.0


def test_nearest_items_are_the_servers_similar_items(snapshot, client):
    # The sample catalog is small enough for the exact index, so the
    # server's unfiltered SimilarItems is the plain inner-product ranking.
    assert snapshot.manifest["index"]["recall_at_10"] == 1
    for item in snapshot.items["item_id"].iloc[[0, 17, 60]]:
        mine = snapshot.nearest_items(item, k=8)
        served = client.similar_items(item, count=8)
        assert list(mine["item_id"]) == list(served["item_id"])
        assert mine["score"].to_numpy() == pytest.approx(served["score"].to_numpy(), rel=1e-4)
    cosine = snapshot.nearest_items(snapshot.items["item_id"].iloc[0], k=5, metric="cosine")
    assert cosine["score"].between(-1.0001, 1.0001).all()
    with pytest.raises(KeyError):
        snapshot.nearest_items("NO-SUCH-ITEM")


def test_customer_vector_ranks_what_they_bought_high(snapshot):
    customer = snapshot.customers.set_index("customer_id").loc["C00002"]
    scores = snapshot.item_embeddings @ snapshot.customer_embeddings[customer["factor_row"]]
    bought = snapshot.purchases.loc[snapshot.purchases.customer_id == "C00002", "item_id"]
    rows = [snapshot.item_row(i) for i in set(bought)]
    assert np.median(scores[rows]) > np.median(scores)


@pytest.fixture
def copy_of(model_dir, tmp_path):
    """A writable copy of the trained model folder."""
    copy = tmp_path / "models"
    shutil.copytree(model_dir, copy)
    return copy


def flip_byte(path, offset):
    with open(path, "r+b") as f:
        f.seek(offset)
        byte = f.read(1)
        f.seek(offset)
        f.write(bytes([byte[0] ^ 0xFF]))


def test_opens_the_newest_version_and_ignores_other_folders(copy_of):
    shutil.copytree(copy_of / "7", copy_of / "3")
    os.makedirs(copy_of / ".tmp-9-123")
    os.makedirs(copy_of / "notes")
    assert Snapshot.open(copy_of).version == 7
    with pytest.raises(SnapshotError, match="manifest says version 7, folder is 3"):
        Snapshot.open(copy_of, version=3)


def test_corrupt_embedding_file(copy_of):
    flip_byte(copy_of / "7" / "item_factors.emb", 100)
    with pytest.raises(SnapshotError, match=r"item_factors\.emb: CRC-32C 0x[0-9a-f]{8}, "
                                            r"the manifest says 0x[0-9a-f]{8}: the file is corrupt"):
        Snapshot.open(copy_of)


def test_truncated_table(copy_of):
    path = copy_of / "7" / "customers.binpb"
    size = path.stat().st_size
    with open(path, "r+b") as f:
        f.truncate(size - 10)
    with pytest.raises(SnapshotError, match=rf"customers\.binpb: {size - 10} bytes, "
                                            rf"the manifest says {size}"):
        Snapshot.open(copy_of)


def test_missing_file(copy_of):
    os.remove(copy_of / "7" / "items.binpb")
    with pytest.raises(SnapshotError, match=r"items\.binpb: missing"):
        Snapshot.open(copy_of / "7")


def test_damaged_manifest(copy_of):
    with open(copy_of / "7" / "MANIFEST.textproto", "a", encoding="utf-8") as f:
        f.write("num_items: many\n")
    with pytest.raises(SnapshotError, match="MANIFEST.textproto: not a valid manifest"):
        Snapshot.open(copy_of)


def test_no_versions(tmp_path):
    with pytest.raises(SnapshotError, match="no MANIFEST.textproto and no model versions"):
        Snapshot.open(tmp_path)


def test_unverified_open_still_checks_shapes(copy_of):
    path = copy_of / "7" / "item_factors.emb"
    with open(path, "r+b") as f:
        f.truncate(path.stat().st_size - 4)
    with pytest.raises(SnapshotError, match=r"item_factors\.emb: \d+ bytes, expected \d+"):
        Snapshot.open(copy_of, verify=False)
