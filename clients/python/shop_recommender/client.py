"""A Python client of the recommendation service (recommender.v1.Recommender).

    from shop_recommender import Client
    with Client("127.0.0.1:50051") as client:
        picks = client.recommend("C00001", count=5)      # a DataFrame
        info = client.model_info()                        # a dict

Answers come back as pandas DataFrames (lists of items, customers,
forecasts) or dicts (model information); each DataFrame of one response
carries the model version in `frame.attrs["model_version"]`. Every failed
call raises RecommenderError with the gRPC code and the field the server
named. Calls that read are retried on UNAVAILABLE with exponential backoff
within their deadline; calls that write (record_events, upsert_items) are
not, unless retry_writes=True, since an event may have been recorded before
the connection broke.

A Client may be shared by threads (gRPC channels are thread-safe); close it,
or use it as a context manager, to release the channel.
"""

import dataclasses
import random
import sys
import time

import grpc
import pandas as pd

from shop_recommender import _convert, _frames
from shop_recommender._stubs import recommender_pb2 as pb
from shop_recommender._stubs import recommender_pb2_grpc as pb_grpc
from shop_recommender.errors import RecommenderError

_DEFAULT = object()

# The API's limits per call (proto/recommender.proto).
MAX_EVENTS_PER_CALL = 1000
MAX_ITEMS_PER_CALL = 1000

_SEGMENTS = {
    "all": pb.CustomerSelector.ALL,
    "lapsed": pb.CustomerSelector.LAPSED,
    "active": pb.CustomerSelector.ACTIVE,
}


@dataclasses.dataclass
class WriteResult:
    """What record_events or upsert_items did.

    Attributes:
      accepted: how many rows were durably recorded.
      rejected: one row per rejected input row, indexed like the input (the
        DataFrame's index, or the position in a list), with its `position`
        in the input, the `field` at fault ("events[1203].item_id", counted
        over the whole input) and the server's `message`.
      sequences: the event-log record of each call made (0 when a call
        recorded nothing).
      model_version: the model the rows were checked against.
    """
    accepted: int
    rejected: pd.DataFrame
    sequences: list
    model_version: int


@dataclasses.dataclass
class NextPurchase:
    """A customer's purchase-timing forecast (PredictNextPurchase).

    Attributes:
      customer_id, as_of (RFC 3339 text), horizon_days, model_version.
      customer: dict of probability_active, expected_orders,
        probability_order, expected_order_value, expected_spend,
        lifetime_value; None if the customer has no purchases up to as_of.
      consumables: one row per consumable the customer buys, soonest due
        first (predicted dates as UTC datetimes, status, basis, explanation).
    """
    customer_id: str
    as_of: str
    horizon_days: int
    customer: dict
    consumables: pd.DataFrame
    model_version: int


class Client:
    """A connection to one recommendation server.

    Args:
      target: "host:port".
      timeout: default deadline of a call in seconds (None: no deadline);
        each method also takes timeout=. Retries happen within it.
      retries: how many times a call that failed with UNAVAILABLE is tried
        again (0: never).
      initial_backoff, max_backoff: seconds to wait before the first retry
        and at most before any; the wait doubles each time, with jitter.
      retry_writes: retry record_events and upsert_items too.
      api_key: sent as `authorization: Bearer <api_key>` metadata.
      tls: use TLS (implied by any of the three certificate arguments).
      root_certificates: PEM bytes, or a path to a PEM file, of the CAs to
        trust; None: gRPC's default roots.
      private_key, certificate_chain: PEM bytes or paths, for mutual TLS.
      metadata: more (key, value) pairs sent with every call.
      channel_options: gRPC channel options, e.g.
        [("grpc.max_receive_message_length", 64 << 20)].
    """

    def __init__(self, target, *, timeout=10.0, retries=3, initial_backoff=0.1,
                 max_backoff=2.0, retry_writes=False, api_key=None, tls=False,
                 root_certificates=None, private_key=None, certificate_chain=None,
                 metadata=(), channel_options=()):
        self.target = target
        self._timeout = timeout
        self._retries = max(0, int(retries))
        self._initial_backoff = initial_backoff
        self._max_backoff = max_backoff
        self._retry_writes = retry_writes
        self._metadata = tuple(metadata)
        if api_key:
            self._metadata += (("authorization", f"Bearer {api_key}"),)
        # gRPC waits 1 s, growing to 2 minutes, before reconnecting to a
        # server that refused; calls fail at once meanwhile. Reconnect as
        # often as the retries come, so that a retry can find the server.
        options = [
            ("grpc.initial_reconnect_backoff_ms", int(initial_backoff * 1000) or 1),
            ("grpc.min_reconnect_backoff_ms", int(initial_backoff * 1000) or 1),
            ("grpc.max_reconnect_backoff_ms", int(max_backoff * 1000) or 1),
        ]
        overridden = {name for name, _ in channel_options}
        options = [o for o in options if o[0] not in overridden] + list(channel_options)
        if tls or root_certificates or private_key or certificate_chain:
            credentials = grpc.ssl_channel_credentials(
                root_certificates=_pem(root_certificates),
                private_key=_pem(private_key),
                certificate_chain=_pem(certificate_chain))
            self._channel = grpc.secure_channel(target, credentials, options)
        else:
            self._channel = grpc.insecure_channel(target, options)
        self._stub = pb_grpc.RecommenderStub(self._channel)

    def close(self):
        self._channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return f"Client({self.target!r})"

    # ---- calls ---------------------------------------------------------

    def model_info(self, *, timeout=_DEFAULT):
        """The loaded model: model_version, trained_at, data_end, num_items,
        num_customers, num_events, embedding_dimension, index_type,
        training_metrics and parameters, as a dict."""
        info = self._unary("GetModelInfo", pb.GetModelInfoRequest(), timeout)
        return _convert.message_to_dict(info)

    def wait_for_model(self, timeout=30.0):
        """Waits until the server answers with a loaded model; returns
        model_info(). Raises RecommenderError (UNAVAILABLE or
        DEADLINE_EXCEEDED) if it does not within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                return self.model_info(timeout=max(0.1, deadline - time.monotonic()))
            except RecommenderError as error:
                if (error.code != grpc.StatusCode.UNAVAILABLE
                        or time.monotonic() >= deadline):
                    raise
                time.sleep(0.1)

    def recommend(self, customer_id="", count=10, *, filter=None, recently_viewed=(),
                  attributes=None, max_per_category=0, as_of=None, timeout=_DEFAULT):
        """The items a customer is likely to want next, best first.

        Args:
          customer_id: may be unknown to the model (popular items), or empty
            for an anonymous visitor with recently_viewed.
          count: 1 to 100.
          filter: an ItemFilter as a dict: include_categories,
            exclude_categories, max_price, in_stock_only, exclude_item_ids.
          recently_viewed: item ids viewed in this visit, newest first.
          attributes: dict of age_band, gender, region for a customer
            without history.
          max_per_category: at most this many items per category (0: no cap).
          as_of: the moment to rank for (RFC 3339 text or a datetime).

        Returns a DataFrame with columns rank, item_id, score, reason,
        reason_text, title, category, price; attrs model_version and
        recommendation_id.
        """
        request = pb.RecommendRequest(
            customer_id=customer_id, count=count, filter=_frames.item_filter(filter),
            recently_viewed_item_ids=list(recently_viewed),
            attributes=pb.CustomerAttributes(**(attributes or {})),
            max_per_category=max_per_category,
            as_of=_convert.to_timestamp_text(as_of))
        response = self._unary("Recommend", request, timeout)
        return _frames.picks_frame(response)

    def similar_items(self, item_id, count=10, *, filter=None, max_per_category=0,
                      timeout=_DEFAULT):
        """Items similar to `item_id` by learned embedding (never the item
        itself); columns as recommend()."""
        request = pb.SimilarItemsRequest(
            item_id=item_id, count=count, filter=_frames.item_filter(filter),
            max_per_category=max_per_category)
        return _frames.picks_frame(self._unary("SimilarItems", request, timeout))

    def customer_history(self, customer_id, max_purchases=0, *, timeout=_DEFAULT):
        """The customer's purchases as the model knows them, most recent
        first: item_id, title, category, durability, purchased_at (UTC)."""
        request = pb.GetCustomerHistoryRequest(
            customer_id=customer_id, max_purchases=max_purchases)
        response = self._unary("GetCustomerHistory", request, timeout)
        return _frames.history_frame(response)

    def record_events(self, events, *, timeout=_DEFAULT):
        """Records views, cart additions and purchases (RecordEvents).

        Args:
          events: a pandas DataFrame or a list of dicts with customer_id,
            item_id, type ("view", "cart" or "purchase"), and optionally
            quantity, timestamp (ISO 8601 with offset, or a tz-aware
            datetime) and unit_price; the columns of events.csv. Empty cells
            (NaN, None) mean unset. Sent 1,000 per call.

        Returns a WriteResult; rows the server rejected are in its
        `rejected` DataFrame, the others are recorded. A whole call the
        server refuses (e.g. FAILED_PRECONDITION without --event_log_dir)
        raises RecommenderError; its `partial` attribute holds the
        WriteResult of the calls before it.
        """
        return self._write("RecordEvents", "events", events, _frames.EVENT_FIELDS,
                           MAX_EVENTS_PER_CALL, _frames.event_message, timeout)

    def upsert_items(self, items, *, timeout=_DEFAULT):
        """Adds catalog items between trainings (UpsertItems), from a
        DataFrame or list of dicts with the columns of catalog.csv (item_id,
        title, category, price, in_stock, durability); returns a WriteResult
        as record_events."""
        return self._write("UpsertItems", "items", items, _frames.ITEM_FIELDS,
                           MAX_ITEMS_PER_CALL, _frames.item_message, timeout)

    def iter_batch_recommend(self, customer_ids=None, *, segment=None, days=0,
                             as_of=None, count=10, filter=None, max_per_category=0,
                             customers_per_frame=10000, progress=None, timeout=None):
        """Picks for many customers, streamed: yields DataFrames of at most
        `customers_per_frame` customers each, so that a million customers
        never sit in memory at once.

        Args:
          customer_ids: a list of ids; or else
          segment: "all", "lapsed" (bought before, not in the last `days`
            days) or "active" (any event in the last `days` days), counted
            back from `as_of` (default: now).
          count, filter, max_per_category: as in recommend().
          progress: True to print "batch: N/TOTAL customers" to stderr about
            once a second, or a callable(position, total).
          timeout: deadline of the whole stream in seconds; None: none.

        Each frame has columns customer_id, rank, item_id, score, reason,
        reason_text, title, category, price, model_version, one row per
        customer and pick; a customer with no picks has no rows.
        """
        request = pb.BatchRecommendRequest(
            count=count, filter=_frames.item_filter(filter), max_per_category=max_per_category)
        if (customer_ids is None) == (segment is None):
            raise ValueError("give exactly one of customer_ids and segment")
        if customer_ids is not None:
            request.customer_list.customer_ids.extend(str(c) for c in customer_ids)
        else:
            if segment not in _SEGMENTS:
                raise ValueError(f"segment must be one of {sorted(_SEGMENTS)}, got {segment!r}")
            request.selector.kind = _SEGMENTS[segment]
            request.selector.days = days
            request.selector.as_of = _convert.to_timestamp_text(as_of)
        report = _progress_reporter(progress)
        columns = {name: [] for name in ["customer_id"] + _frames.PICK_COLUMNS + ["model_version"]}
        customers_in_frame = 0
        for message in self._stream("BatchRecommend", request, timeout):
            for rank, item in enumerate(message.items, start=1):
                columns["customer_id"].append(message.customer_id)
                _frames.append_pick(columns, rank, item)
                columns["model_version"].append(message.model_version)
            customers_in_frame += 1
            report(message.position, message.total)
            if customers_in_frame >= customers_per_frame:
                yield pd.DataFrame(columns)
                columns = {name: [] for name in columns}
                customers_in_frame = 0
        if customers_in_frame:
            yield pd.DataFrame(columns)

    def batch_recommend(self, customer_ids=None, **kwargs):
        """iter_batch_recommend() gathered into one DataFrame (for batches
        that fit in memory)."""
        frames = list(self.iter_batch_recommend(customer_ids, **kwargs))
        if not frames:
            return pd.DataFrame(
                columns=["customer_id"] + _frames.PICK_COLUMNS + ["model_version"])
        return pd.concat(frames, ignore_index=True)

    def predict_next_purchase(self, customer_id, horizon_days=0, *, as_of=None,
                              annual_discount_rate=0.0, timeout=_DEFAULT):
        """When the customer buys again: a NextPurchase with the customer's
        lifetime figures and one row per consumable. horizon_days 0 means 30."""
        request = pb.PredictNextPurchaseRequest(
            customer_id=customer_id, horizon_days=horizon_days,
            as_of=_convert.to_timestamp_text(as_of),
            annual_discount_rate=annual_discount_rate)
        response = self._unary("PredictNextPurchase", request, timeout)
        customer = (_convert.message_to_dict(response.customer)
                    if response.HasField("customer") else None)
        return NextPurchase(
            customer_id=response.customer_id, as_of=response.as_of,
            horizon_days=response.horizon_days, customer=customer,
            consumables=_frames.forecast_frame([], response.consumables),
            model_version=response.model_version)

    def list_due_customers(self, due_from, due_to, *, as_of=None, categories=(),
                           min_probability_active=0.0, include_lapsed=False,
                           max_customers=0, timeout=_DEFAULT):
        """Customers with a consumable due between two days ("YYYY-MM-DD" or
        dates, both included, in the shop's time zone), soonest first: one
        row per customer and due consumable, with customer_id and
        probability_active first. attrs: total_matching (before
        max_customers, 0 meaning 1,000, cut the list) and model_version."""
        request = pb.ListDueCustomersRequest(
            due_from=_convert.to_timestamp_text(due_from),
            due_to=_convert.to_timestamp_text(due_to),
            as_of=_convert.to_timestamp_text(as_of), categories=list(categories),
            min_probability_active=min_probability_active,
            include_lapsed=include_lapsed, max_customers=max_customers)
        response = self._unary("ListDueCustomers", request, timeout)
        return _frames.due_frame(response)

    # ---- transport -----------------------------------------------------

    def _attempts(self, write):
        return 1 + (self._retries if (not write or self._retry_writes) else 0)

    def _deadline(self, timeout):
        if timeout is _DEFAULT:
            timeout = self._timeout
        return None if timeout is None else time.monotonic() + timeout

    def _backoff(self, attempt, deadline):
        """Sleeps before retry number `attempt` (0-based); False if the
        deadline leaves no time for it."""
        wait = min(self._max_backoff, self._initial_backoff * (2 ** attempt))
        wait *= random.uniform(0.5, 1.0)
        end = time.monotonic() + wait
        if deadline is not None and end >= deadline:
            return False
        # Keep the channel connecting meanwhile (gRPC gives up a connection
        # attempt when the call that started it fails): a small call that
        # waits for the connection, whatever it answers.
        try:
            self._stub.GetModelInfo(pb.GetModelInfoRequest(), timeout=wait,
                                    wait_for_ready=True, metadata=self._metadata)
        except grpc.RpcError:
            pass
        time.sleep(max(0.0, end - time.monotonic()))
        return True

    def _unary(self, method, request, timeout, write=False):
        rpc = getattr(self._stub, method)
        deadline = self._deadline(timeout)
        attempts = self._attempts(write)
        for attempt in range(attempts):
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                return rpc(request, timeout=remaining, metadata=self._metadata)
            except grpc.RpcError as error:
                if (error.code() != grpc.StatusCode.UNAVAILABLE
                        or attempt + 1 == attempts or not self._backoff(attempt, deadline)):
                    raise RecommenderError.from_rpc_error(error, method) from None

    def _stream(self, method, request, timeout):
        """Yields the messages of a server stream; retried on UNAVAILABLE
        only before the first message arrived."""
        rpc = getattr(self._stub, method)
        deadline = self._deadline(timeout)
        attempts = self._attempts(write=False)
        for attempt in range(attempts):
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            received = False
            call = rpc(request, timeout=remaining, metadata=self._metadata)
            try:
                for message in call:
                    received = True
                    yield message
                return
            except grpc.RpcError as error:
                if (received or error.code() != grpc.StatusCode.UNAVAILABLE
                        or attempt + 1 == attempts or not self._backoff(attempt, deadline)):
                    raise RecommenderError.from_rpc_error(error, method) from None
            finally:
                call.cancel()

    def _write(self, method, list_field, rows, fields, per_call, to_message, timeout):
        labels, records = _frames.rows_of(rows, fields)
        accepted, sequences, model_version, rejected = 0, [], 0, []
        for start in range(0, len(records), per_call) or [0]:
            chunk = records[start:start + per_call]
            request = getattr(pb, f"{method}Request")()
            getattr(request, list_field).extend(to_message(r) for r in chunk)
            try:
                response = self._unary(method, request, timeout, write=True)
            except RecommenderError as error:
                error.partial = WriteResult(accepted, _frames.rejected_frame(rejected, labels),
                                            sequences, model_version)
                raise
            accepted += response.accepted
            sequences.append(response.sequence)
            model_version = response.model_version
            for r in response.rejected:
                position = start + r.index
                local = f"{list_field}[{r.index}]"
                whole = f"{list_field}[{position}]"
                rejected.append((position, _frames.reindex(r.field, local, whole),
                                 _frames.reindex(r.message, local, whole)))
        return WriteResult(accepted, _frames.rejected_frame(rejected, labels), sequences,
                           model_version)


# ---- helpers -------------------------------------------------------------

def _pem(value):
    """PEM bytes from bytes, text or a path."""
    if value is None or isinstance(value, bytes):
        return value
    text = str(value)
    if text.lstrip().startswith("-----BEGIN"):
        return text.encode()
    with open(text, "rb") as f:
        return f.read()


def _progress_reporter(progress):
    if not progress:
        return lambda position, total: None
    if callable(progress):
        return progress
    last = [0.0]

    def report(position, total):
        now = time.monotonic()
        if position == total or now - last[0] >= 1.0:
            last[0] = now
            print(f"batch: {position}/{total} customers", file=sys.stderr, flush=True)
    return report

