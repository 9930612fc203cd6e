"""Every Client call against the real server serving the sample model."""

import datetime

import grpc
import pandas as pd
import pytest

from shop_recommender import Client, RecommenderError

REASONS = {"personalized", "popular", "similar_item", "popular_with_similar_customers",
           "same_category", "repurchase_due"}


def buyer_with_consumables(snapshot):
    """A customer who bought some consumable at least twice."""
    consumables = set(snapshot.items.loc[snapshot.items.durability == "consumable", "item_id"])
    purchases = snapshot.purchases[snapshot.purchases.item_id.isin(consumables)]
    counts = purchases.groupby(["customer_id", "item_id"]).size()
    return counts[counts >= 2].index[0][0]


def test_model_info(client, snapshot):
    info = client.model_info()
    assert info["model_version"] == 7
    assert info["num_items"] == 120
    assert info["num_customers"] == 300
    assert info["embedding_dimension"] == 32
    assert info["parameters"]["factors"] == "32"
    assert "loss_epoch_01" in info["training_metrics"]


def test_recommend(client, snapshot):
    picks = client.recommend("C00002", count=7)
    assert list(picks.columns) == ["rank", "item_id", "score", "reason", "reason_text",
                                   "title", "category", "price"]
    assert list(picks["rank"]) == list(range(1, 8))
    assert picks["item_id"].is_unique
    assert set(picks["item_id"]) <= set(snapshot.items["item_id"])
    assert set(picks["reason"]) <= REASONS
    assert "personalized" in set(picks["reason"]) | {"repurchase_due"}
    assert picks["score"].is_monotonic_decreasing or "repurchase_due" in set(picks["reason"])
    assert picks.attrs["model_version"] == 7
    assert picks.attrs["recommendation_id"]


def test_recommend_never_offers_an_owned_durable(client, snapshot):
    durables = set(snapshot.items.loc[snapshot.items.durability == "durable", "item_id"])
    owned = snapshot.purchases.groupby("customer_id")["item_id"].apply(set)
    customer = next(c for c, items in owned.items() if items & durables)
    picks = client.recommend(customer, count=50)
    assert not set(picks["item_id"]) & owned[customer] & durables


def test_recommend_with_filter_and_category_cap(client, snapshot):
    category = snapshot.items["category"].iloc[0].split("/")[0]
    picks = client.recommend("C00003", count=10,
                             filter={"include_categories": [category], "max_price": 5000},
                             max_per_category=2)
    assert len(picks) > 0
    assert all(c.split("/")[0] == category for c in picks["category"])
    assert (picks["price"] <= 5000).all()
    assert picks.groupby("category").size().max() <= 2


def test_recommend_for_an_anonymous_visitor(client, snapshot):
    viewed = list(snapshot.items["item_id"][:3])
    picks = client.recommend(recently_viewed=viewed, count=5)
    assert len(picks) == 5
    assert not set(picks["item_id"]) & set(viewed)


def test_recommend_for_a_new_customer_with_attributes(client):
    picks = client.recommend("NEW-SIGNUP", count=5,
                             attributes={"age_band": "30-39", "region": "Osaka"})
    assert len(picks) == 5
    assert set(picks["reason"]) <= {"popular", "popular_with_similar_customers"}


def test_recommend_as_of_a_datetime(client, snapshot):
    data_end = pd.Timestamp(snapshot.manifest["data_end"])
    picks = client.recommend("C00004", count=5, as_of=data_end - datetime.timedelta(days=3))
    assert len(picks) == 5


def test_similar_items(client, snapshot):
    item = snapshot.items["item_id"].iloc[5]
    similar = client.similar_items(item, count=6)
    assert len(similar) == 6
    assert item not in set(similar["item_id"])
    assert set(similar["reason"]) == {"similar_item"}


def test_customer_history_matches_the_snapshot(client, snapshot):
    history = client.customer_history("C00002")
    mine = snapshot.purchases[snapshot.purchases.customer_id == "C00002"]
    assert len(history) == len(mine) > 0
    assert sorted(history["item_id"]) == sorted(mine["item_id"])
    assert history["purchased_at"].is_monotonic_decreasing
    assert str(history["purchased_at"].dt.tz) == "UTC"
    assert client.customer_history("C00002", max_purchases=2).shape[0] == 2


def test_predict_next_purchase(client, snapshot):
    customer = buyer_with_consumables(snapshot)
    forecast = client.predict_next_purchase(customer, horizon_days=60)
    assert forecast.customer_id == customer
    assert forecast.horizon_days == 60
    assert forecast.model_version == 7
    assert 0 <= forecast.customer["probability_active"] <= 1
    assert forecast.customer["expected_orders"] >= 0
    consumables = forecast.consumables
    assert len(consumables) > 0
    assert set(consumables["status"]) <= {"not_due", "due_soon", "overdue", "lapsed"}
    assert (consumables["predicted_at"] >= pd.Timestamp(forecast.as_of)).all()
    assert (consumables["probability_within_horizon"].between(0, 1)).all()


def test_list_due_customers(client, snapshot):
    data_end = pd.Timestamp(snapshot.manifest["data_end"]).date()
    due = client.list_due_customers(data_end - datetime.timedelta(days=30),
                                    data_end + datetime.timedelta(days=30),
                                    include_lapsed=True)
    assert len(due) > 0
    assert due.attrs["model_version"] == 7
    assert due.attrs["total_matching"] >= due["customer_id"].nunique()
    assert list(due.columns[:3]) == ["customer_id", "probability_active", "item_id"]
    assert set(due["customer_id"]) <= set(snapshot.customers["customer_id"])
    capped = client.list_due_customers(str(data_end - datetime.timedelta(days=30)),
                                       str(data_end + datetime.timedelta(days=30)),
                                       include_lapsed=True, max_customers=2)
    assert capped["customer_id"].nunique() == 2


def test_batch_recommend_for_listed_customers(client):
    customers = ["C00001", "C00002", "C00003", "UNKNOWN-1", "C00005"]
    seen = []
    frames = list(client.iter_batch_recommend(
        customers, count=4, customers_per_frame=2,
        progress=lambda position, total: seen.append((position, total))))
    assert [f["customer_id"].nunique() for f in frames] == [2, 2, 1]
    picks = pd.concat(frames, ignore_index=True)
    assert list(picks["customer_id"].unique()) == customers
    assert (picks.groupby("customer_id").size() == 4).all()
    assert (picks["model_version"] == 7).all()
    assert seen == [(i, 5) for i in range(1, 6)]
    # The same as one Recommend call per customer.
    one = client.recommend("C00002", count=4)
    assert list(picks.loc[picks.customer_id == "C00002", "item_id"]) == list(one["item_id"])


def test_batch_recommend_for_a_segment(client, snapshot):
    everyone = client.batch_recommend(segment="all", count=2)
    assert everyone["customer_id"].nunique() >= len(snapshot.customers)
    active = client.batch_recommend(segment="active", days=14, count=2,
                                    as_of=snapshot.manifest["data_end"])
    assert 0 < active["customer_id"].nunique() < everyone["customer_id"].nunique()


def test_record_events_from_a_dataframe(client, snapshot):
    durables = snapshot.items.loc[snapshot.items.durability == "durable", "item_id"]
    durable = durables.iloc[0]
    customer = "PY-EVENTS-1"
    before = client.recommend(customer, count=100)
    events = pd.DataFrame({
        "customer_id": [customer, customer, customer, customer, customer],
        "item_id": [durable, durable, "NO-SUCH-ITEM", durable, durable],
        "type": ["view", "cart", "purchase", "click", "purchase"],
        "quantity": [None, None, 1, 1, 2],
        "timestamp": pd.Series([None, "", pd.Timestamp("2026-01-01T10:00:00+09:00"),
                                None, None], dtype=object, index=list("abcde")),
        "unit_price": [float("nan")] * 4 + [123.0],
    }, index=["a", "b", "c", "d", "e"])
    result = client.record_events(events)
    assert result.accepted == 3
    assert len(result.sequences) == 1 and result.sequences[0] > 0
    assert result.model_version == 7
    rejected = result.rejected
    assert list(rejected.index) == ["c", "d"]
    assert list(rejected["position"]) == [2, 3]
    assert list(rejected["field"]) == ["events[2].item_id", "events[3].type"]
    assert rejected.loc["c", "message"].startswith("events[2].item_id: ")
    # The durable just bought is no longer offered.
    assert durable in set(before["item_id"])
    assert durable not in set(client.recommend(customer, count=100)["item_id"])


def test_record_events_of_an_export_in_batches(client, shop_dir):
    events = pd.read_csv(f"{shop_dir}/events.csv").tail(2100).reset_index(drop=True)
    events["timestamp"] = ""  # now, as the server receives them
    events.loc[1203, "item_id"] = "MISSPELT"
    result = client.record_events(events)
    assert result.accepted == 2099
    assert len(result.sequences) == 3
    assert list(result.rejected["field"]) == ["events[1203].item_id"]
    assert list(result.rejected.index) == [1203]
    assert result.rejected["message"].iloc[0].startswith("events[1203].item_id: unknown item")


def test_record_events_from_a_list_of_dicts(client, snapshot):
    item = snapshot.items["item_id"].iloc[0]
    result = client.record_events([{"customer_id": "PY-LIST", "item_id": item, "type": "view"}])
    assert result.accepted == 1 and result.rejected.empty
    with pytest.raises(ValueError, match="itemid"):
        client.record_events([{"customer_id": "PY-LIST", "itemid": item, "type": "view"}])


def test_upsert_items(client, snapshot):
    known = snapshot.items.iloc[0]
    items = pd.DataFrame([
        {"item_id": "PY-NEW-1", "title": "Python Mug", "category": known["category"],
         "price": 900, "in_stock": "true", "durability": "durable"},
        {"item_id": known["item_id"], "title": "again", "category": known["category"],
         "price": 1, "in_stock": True, "durability": ""},
    ])
    result = client.upsert_items(items)
    assert result.accepted == 1
    assert list(result.rejected["field"]) == ["items[1].item_id"]
    similar = client.similar_items("PY-NEW-1", count=3)
    assert set(similar["reason"]) == {"same_category"}
    assert set(similar["category"]) == {known["category"]}


@pytest.mark.parametrize("call, code, field", [
    (lambda c: c.recommend("C00001", count=0), "INVALID_ARGUMENT", "count"),
    (lambda c: c.recommend("C00001", count=5, filter={"max_price": -1}),
     "INVALID_ARGUMENT", "filter.max_price"),
    (lambda c: c.recommend("C00001", count=5, max_per_category=-1),
     "INVALID_ARGUMENT", "max_per_category"),
    (lambda c: c.recommend("C00001", count=5, as_of="yesterday"), "INVALID_ARGUMENT", "as_of"),
    (lambda c: c.similar_items("", count=5), "INVALID_ARGUMENT", "item_id"),
    (lambda c: c.similar_items("NO-SUCH-ITEM", count=5), "NOT_FOUND", "item_id"),
    (lambda c: c.predict_next_purchase("NO-SUCH-CUSTOMER"), "NOT_FOUND", "customer_id"),
    (lambda c: c.predict_next_purchase("C00001", horizon_days=-1),
     "INVALID_ARGUMENT", "horizon_days"),
    (lambda c: c.list_due_customers("2026-13-01", "2026-12-31"),
     "INVALID_ARGUMENT", "due_from"),
    (lambda c: c.batch_recommend(["C00001"], count=0), "INVALID_ARGUMENT", "count"),
    (lambda c: c.batch_recommend(segment="lapsed", days=0, count=3),
     "INVALID_ARGUMENT", "selector.days"),
    (lambda c: c.record_events([]), "INVALID_ARGUMENT", "events"),
])
def test_bad_input_surfaces_code_and_field(client, call, code, field):
    with pytest.raises(RecommenderError) as raised:
        call(client)
    assert raised.value.code == getattr(grpc.StatusCode, code)
    assert raised.value.field == field
    assert raised.value.message.startswith(field + ": ")
    assert code in str(raised.value)


def test_record_events_without_an_event_log_is_refused(model_dir, binaries):
    from shop_recommender import tools
    with tools.LocalServer(model_dir, binaries=binaries) as server:
        with server.client() as client:
            client.wait_for_model()
            with pytest.raises(RecommenderError) as raised:
                client.record_events([{"customer_id": "C1", "item_id": "P00001",
                                       "type": "view"}])
    assert raised.value.code == grpc.StatusCode.FAILED_PRECONDITION
    assert raised.value.partial.accepted == 0


def test_deadline_exceeded(client):
    with pytest.raises(RecommenderError) as raised:
        client.batch_recommend(segment="all", count=100, timeout=0.001)
    assert raised.value.code == grpc.StatusCode.DEADLINE_EXCEEDED


def test_unavailable_is_retried_until_the_server_listens(model_dir, binaries):
    """A call made before the server is up succeeds once it listens."""
    import socket
    import threading
    from shop_recommender import tools

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = tools.LocalServer(model_dir, binaries=binaries, port=port)
    starter = threading.Timer(1.0, server.start)
    starter.start()
    try:
        with Client(f"127.0.0.1:{port}", timeout=30, retries=20, initial_backoff=0.1,
                    max_backoff=0.5) as client:
            assert client.model_info()["model_version"] == 7
    finally:
        starter.join()
        server.stop()


def test_unavailable_after_the_retries(binaries):
    with Client("127.0.0.1:1", timeout=10, retries=2, initial_backoff=0.05) as client:
        with pytest.raises(RecommenderError) as raised:
            client.model_info()
    assert raised.value.code == grpc.StatusCode.UNAVAILABLE
    assert raised.value.field is None


def test_api_key_metadata_is_accepted(server):
    # The server has no API keys yet; the bearer token must not break calls.
    with server.client(api_key="key-1.secret", metadata=[("x-request-source", "pytest")]) as c:
        assert c.model_info()["model_version"] == 7


def test_tls_client_does_not_speak_plaintext(server):
    # The server has no TLS yet: a TLS client cannot talk to it.
    with server.client(tls=True, retries=0, timeout=5) as c:
        with pytest.raises(RecommenderError) as raised:
            c.model_info()
    assert raised.value.code == grpc.StatusCode.UNAVAILABLE
