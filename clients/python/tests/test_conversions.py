"""Conversions that need no server: error fields, enum labels, moments."""

import datetime

import grpc
import pandas as pd
import pytest

from shop_recommender import RecommenderError, _convert
from shop_recommender._stubs import recommender_pb2 as pb
from shop_recommender.errors import field_of


@pytest.mark.parametrize("message, field", [
    ("count: must be between 1 and 100, got 0", "count"),
    ("events[3].item_id: unknown item \"x\"", "events[3].item_id"),
    ("filter.max_price: must be >= 0", "filter.max_price"),
    ("selector.days: must be 1 to 3650", "selector.days"),
    ("no model loaded", None),
    ("failed to connect to all addresses; last error: UNKNOWN: ipv4:1.2.3.4:5: x", None),
    ("", None),
])
def test_field_of(message, field):
    assert field_of(message) == field


def test_recommender_error_carries_code_field_and_method():
    error = RecommenderError(grpc.StatusCode.INVALID_ARGUMENT, "count: too big", "Recommend")
    assert (error.code, error.field, error.message, error.method) == (
        grpc.StatusCode.INVALID_ARGUMENT, "count", "count: too big", "Recommend")
    assert str(error) == "Recommend: INVALID_ARGUMENT: count: too big"


def test_enum_labels_round_trip():
    reason = pb.Reason.DESCRIPTOR
    assert _convert.enum_label(reason, pb.REASON_REPURCHASE_DUE) == "repurchase_due"
    assert _convert.enum_label(pb.EventType.DESCRIPTOR, pb.PURCHASE) == "purchase"
    assert _convert.enum_label(pb.Durability.DESCRIPTOR, pb.DURABLE) == "durable"
    assert _convert.enum_label(reason, 99) == 99
    for label in ("purchase", "PURCHASE", "EVENT_TYPE_UNSPECIFIED", 3, None):
        assert _convert.enum_number(pb.EventType.DESCRIPTOR, label) in (0, pb.PURCHASE)
    assert _convert.enum_number(pb.EventType.DESCRIPTOR, "click", strict=False) == 0
    with pytest.raises(ValueError, match="view, cart, purchase"):
        _convert.enum_number(pb.EventType.DESCRIPTOR, "click")


def test_moments_as_text():
    tokyo = datetime.timezone(datetime.timedelta(hours=9))
    assert _convert.to_timestamp_text(None) == ""
    assert _convert.to_timestamp_text(pd.NaT) == ""
    assert _convert.to_timestamp_text(float("nan")) == ""
    assert _convert.to_timestamp_text("2026-03-01T09:30:00+09:00") == "2026-03-01T09:30:00+09:00"
    assert (_convert.to_timestamp_text(datetime.datetime(2026, 3, 1, 9, 30, tzinfo=tokyo))
            == "2026-03-01T09:30:00+09:00")
    assert _convert.to_timestamp_text(pd.Timestamp("2026-03-01T00:30:00Z")) == "2026-03-01T00:30:00Z"
    assert _convert.to_timestamp_text(datetime.date(2026, 3, 1)) == "2026-03-01"
    # Without a zone it goes as it is, for the server to refuse naming the field.
    assert _convert.to_timestamp_text(datetime.datetime(2026, 3, 1, 9, 30)) == "2026-03-01T09:30:00"


def test_message_to_dict():
    info = pb.ModelInfo(model_version=5, num_items=3, training_metrics={"loss": 1.5},
                        parameters={"factors": "8"})
    as_dict = _convert.message_to_dict(info)
    assert as_dict["model_version"] == 5
    assert as_dict["training_metrics"] == {"loss": 1.5}
    assert as_dict["parameters"] == {"factors": "8"}
    assert as_dict["index_type"] == ""
    response = pb.PredictNextPurchaseResponse(customer_id="c")
    assert _convert.message_to_dict(response)["customer"] is None
    assert _convert.message_to_dict(response)["consumables"] == []
