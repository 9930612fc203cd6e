"""Conversions between pandas DataFrames (or lists of dicts) and the
service's messages: request rows in, answers out as DataFrames."""

import pandas as pd

from shop_recommender import _convert
from shop_recommender._stubs import recommender_pb2 as pb

# The columns of events.csv and catalog.csv, as record_events and
# upsert_items take them.
EVENT_FIELDS = ("customer_id", "item_id", "type", "quantity", "timestamp", "unit_price")
ITEM_FIELDS = ("item_id", "title", "category", "price", "in_stock", "durability")
PICK_COLUMNS = ["rank", "item_id", "score", "reason", "reason_text", "title",
                "category", "price"]
_FORECAST_TIMES = ("last_purchased_at", "due_at", "predicted_at", "earliest_at",
                   "latest_at")


def item_filter(spec):
    """An ItemFilter from a dict of its fields (or the message itself)."""
    if spec is None:
        return pb.ItemFilter()
    if isinstance(spec, pb.ItemFilter):
        return spec
    unknown = set(spec) - set(pb.ItemFilter.DESCRIPTOR.fields_by_name)
    if unknown:
        raise ValueError(f"filter: unknown keys {sorted(unknown)}; known: "
                         f"{sorted(pb.ItemFilter.DESCRIPTOR.fields_by_name)}")
    return pb.ItemFilter(**{k: v for k, v in spec.items() if v is not None})


def append_pick(columns, rank, item):
    """Appends one RecommendedItem to lists keyed by PICK_COLUMNS."""
    columns["rank"].append(rank)
    columns["item_id"].append(item.item_id)
    columns["score"].append(item.score)
    columns["reason"].append(_convert.enum_label(pb.Reason.DESCRIPTOR, item.reason))
    columns["reason_text"].append(item.reason_text)
    columns["title"].append(item.title)
    columns["category"].append(item.category)
    columns["price"].append(item.price)


def picks_frame(response):
    """A Recommend or SimilarItems response as a DataFrame of picks."""
    columns = {name: [] for name in PICK_COLUMNS}
    for rank, item in enumerate(response.items, start=1):
        append_pick(columns, rank, item)
    frame = pd.DataFrame(columns)
    frame.attrs["model_version"] = response.model_version
    frame.attrs["recommendation_id"] = response.recommendation_id
    return frame


def forecast_frame(prefixes, forecasts):
    """Consumable forecasts as rows, each after its prefix (customer_id,
    probability_active) when prefixes are given."""
    forecast_fields = [f.name for f in pb.ConsumableForecast.DESCRIPTOR.fields]
    prefix_fields = ["customer_id", "probability_active"] if prefixes else []
    rows = []
    for i, forecast in enumerate(forecasts):
        row = dict(zip(prefix_fields, prefixes[i])) if prefixes else {}
        row.update(_convert.message_to_dict(forecast))
        rows.append(row)
    frame = pd.DataFrame(rows, columns=prefix_fields + forecast_fields)
    for name in _FORECAST_TIMES:
        frame[name] = _convert.to_datetime_column(frame[name])
    return frame


def history_frame(response):
    """A GetCustomerHistory response as a DataFrame of purchases."""
    frame = pd.DataFrame(
        [_convert.message_to_dict(p) for p in response.purchases],
        columns=["item_id", "title", "category", "durability", "purchased_at"])
    frame["purchased_at"] = _convert.to_datetime_column(frame["purchased_at"])
    frame.attrs["model_version"] = response.model_version
    return frame


def due_frame(response):
    """A ListDueCustomers response: one row per customer and due consumable."""
    prefixes, forecasts = [], []
    for customer in response.customers:
        for forecast in customer.due:
            prefixes.append((customer.customer_id, customer.probability_active))
            forecasts.append(forecast)
    frame = forecast_frame(prefixes, forecasts)
    frame.attrs["total_matching"] = response.total_matching
    frame.attrs["model_version"] = response.model_version
    return frame


def rows_of(rows, fields):
    """(labels, list of dicts) from a DataFrame or an iterable of dicts;
    unknown keys are an error, so that a misspelt column is not dropped."""
    if isinstance(rows, pd.DataFrame):
        labels = list(rows.index)
        records = rows.to_dict("records")
    else:
        records = [dict(r) for r in rows]
        labels = list(range(len(records)))
    for position, record in enumerate(records):
        unknown = set(record) - set(fields)
        if unknown:
            raise ValueError(f"row {position}: unknown fields {sorted(unknown)}; "
                             f"known: {list(fields)}")
    return labels, records


def _text(record, name):
    value = record.get(name)
    return "" if _convert.is_missing(value) else str(value)


def event_message(record):
    """An Event from one row (see EVENT_FIELDS); empty cells are unset."""
    event = pb.Event(
        customer_id=_text(record, "customer_id"), item_id=_text(record, "item_id"),
        # An unknown type goes as unspecified: the server rejects that row
        # naming events[i].type, and keeps the others.
        type=_convert.enum_number(pb.EventType.DESCRIPTOR, _text(record, "type") or None,
                                  strict=False),
        timestamp=_convert.to_timestamp_text(
            None if _convert.is_missing(record.get("timestamp")) else record.get("timestamp")))
    quantity = record.get("quantity")
    if not _convert.is_missing(quantity):
        event.quantity = int(quantity)
    unit_price = record.get("unit_price")
    if not _convert.is_missing(unit_price):
        event.unit_price = float(unit_price)
    return event


def item_message(record):
    """A CatalogItem from one row (see ITEM_FIELDS); empty cells are unset."""
    item = pb.CatalogItem(
        item_id=_text(record, "item_id"), title=_text(record, "title"),
        category=_text(record, "category"),
        durability=_convert.enum_number(pb.Durability.DESCRIPTOR,
                                        _text(record, "durability") or None))
    price = record.get("price")
    if not _convert.is_missing(price):
        item.price = float(price)
    in_stock = record.get("in_stock")
    if not _convert.is_missing(in_stock):
        item.in_stock = in_stock if isinstance(in_stock, bool) else (
            str(in_stock).strip().lower() in ("true", "1", "yes"))
    return item


def reindex(text, local, whole):
    """The server's per-call "events[3]" prefix renumbered over the whole input."""
    return whole + text[len(local):] if text.startswith(local) else text


def rejected_frame(rejected, labels):
    """(position, field, message) rows indexed by the input rows' labels."""
    frame = pd.DataFrame(rejected, columns=["position", "field", "message"])
    frame.index = [labels[p] for p in frame["position"]]
    return frame
