"""Reads a model snapshot from disk, without a server (docs/model-snapshot.md).

    from shop_recommender import Snapshot
    snap = Snapshot.open("models")          # the newest version in the folder
    snap.manifest["num_items"]              # the manifest as a dict
    snap.items                              # DataFrame, one row per item
    snap.item_embeddings                    # float32 (num_items, dimension)
    snap.nearest_items("P00001", k=5)       # inner product, as SimilarItems

Opening checks every file against the size and CRC-32C in its manifest and
the parts against each other (row counts, dimensions), as the server does,
and raises SnapshotError naming the file at fault. Embeddings are
memory-mapped read-only; the protobuf tables are parsed on first use. A
Snapshot is safe to read from several threads once its tables are loaded.
"""

import os

import crc32c
import numpy as np
import pandas as pd
from google.protobuf import message as protobuf_message
from google.protobuf import text_format

from shop_recommender import _convert
from shop_recommender._stubs import snapshot_pb2
from shop_recommender.errors import SnapshotError

MANIFEST = "MANIFEST.textproto"
_EMBEDDING_MAGIC = b"RECEMB01"
_EMBEDDING_HEADER_BYTES = 24  # magic, uint64 rows, uint32 dimension, uint32 0


def snapshot_versions(model_dir):
    """The versions under a model folder, ascending (folders named by a
    positive integer; others, such as unfinished .tmp-* ones, are ignored)."""
    try:
        names = os.listdir(model_dir)
    except OSError as error:
        raise SnapshotError(f"{model_dir}: cannot list: {error.strerror}") from None
    return sorted(int(n) for n in names
                  if n.isdigit() and int(n) > 0
                  and os.path.isdir(os.path.join(model_dir, n)))


def crc32c_of_file(path, chunk_bytes=1 << 22):
    """CRC-32C (Castagnoli) of a file's bytes."""
    value = 0
    with open(path, "rb") as f:
        while True:
            chunk = f.read(chunk_bytes)
            if not chunk:
                return value
            value = crc32c.crc32c(chunk, value)


class Snapshot:
    """One model version on disk. Create with Snapshot.open()."""

    def __init__(self, path, manifest):
        self.path = path
        self._manifest = manifest
        self._items = None
        self._customers = None
        self._item_embeddings = None
        self._customer_embeddings = None
        self._rows_by_item = None

    @classmethod
    def open(cls, path, version=None, verify=True):
        """Opens a snapshot.

        Args:
          path: a version folder (holding MANIFEST.textproto), or a model
            folder of versions, of which the newest (or `version`) is opened.
          verify: check every file's size and CRC-32C against the manifest
            (reads every byte once).

        Raises SnapshotError if the folder, the manifest or a file is
        missing, unreadable or corrupt.
        """
        path = os.fspath(path)
        if not os.path.isfile(os.path.join(path, MANIFEST)):
            versions = snapshot_versions(path)
            if version is None:
                if not versions:
                    raise SnapshotError(f"{path}: no {MANIFEST} and no model versions")
                version = versions[-1]
            path = os.path.join(path, str(version))
        snapshot = cls(path, _read_manifest(path))
        if version is not None and snapshot._manifest.version != int(version):
            raise SnapshotError(
                f"{path}: manifest says version {snapshot._manifest.version}, "
                f"folder is {version}")
        if verify:
            snapshot.verify()
        snapshot._check_shapes()
        return snapshot

    # ---- what is there --------------------------------------------------

    @property
    def version(self):
        return self._manifest.version

    @property
    def manifest(self):
        """The manifest as a dict (version, trained_at, data_end, counts,
        parameters, metrics, inputs, files, index, event_log_sequence)."""
        return _convert.message_to_dict(self._manifest)

    @property
    def items(self):
        """One row per item in model order (row i is item_embeddings[i]):
        item_id, title, category, price, in_stock, durability,
        durability_source, durability_confidence, recent_purchases."""
        if self._items is None:
            table = self._parse("items.binpb", snapshot_pb2.ItemTable())
            frame = pd.DataFrame(
                [_convert.message_to_dict(item) for item in table.items],
                columns=[f.name for f in snapshot_pb2.Item.DESCRIPTOR.fields])
            self._items = frame.rename(columns={"id": "item_id"})
        return self._items

    @property
    def customers(self):
        """One row per customer: customer_id, age_band, gender, region,
        factor_row (row of customer_embeddings, -1 for none), num_purchases,
        last_event_time (UTC)."""
        self._load_customers()
        return self._customers[0]

    @property
    def purchases(self):
        """Every purchase the model learned from, one row each, in each
        customer's time order: customer_id, item_id, purchased_at (UTC),
        quantity, unit_price (NaN where the snapshot predates them)."""
        self._load_customers()
        return self._customers[1]

    @property
    def item_embeddings(self):
        """Item vectors, float32 array of shape (num_items, dimension),
        memory-mapped read-only."""
        if self._item_embeddings is None:
            self._item_embeddings = _map_embeddings(self._file("item_factors.emb"))
        return self._item_embeddings

    @property
    def customer_embeddings(self):
        """Customer vectors, float32 (rows, dimension), memory-mapped; a
        customer's row is customers.factor_row."""
        if self._customer_embeddings is None:
            self._customer_embeddings = _map_embeddings(self._file("customer_factors.emb"))
        return self._customer_embeddings

    @property
    def timing(self):
        """The purchase-timing model (timing.binpb) as a dict, or None for a
        snapshot written before it existed."""
        if not os.path.exists(self._file("timing.binpb")):
            return None
        return _convert.message_to_dict(self._parse("timing.binpb", snapshot_pb2.TimingModel()))

    def item_row(self, item_id):
        """The row of an item (into items and item_embeddings); KeyError if
        the model does not know it."""
        rows = self._item_rows()
        if item_id not in rows:
            raise KeyError(f"unknown item {item_id!r}")
        return rows[item_id]

    def nearest_items(self, item_id, k=10, metric="dot"):
        """The k items nearest to one item by embedding, best first, without
        the item itself: the items rows plus a `score` column. metric "dot"
        (inner product, what the server's SimilarItems ranks by, before its
        filters) or "cosine"."""
        vectors = np.asarray(self.item_embeddings, dtype=np.float32)
        query = vectors[self.item_row(item_id)]
        if metric == "dot":
            scores = vectors @ query
        elif metric == "cosine":
            norms = np.linalg.norm(vectors, axis=1) * np.linalg.norm(query)
            scores = (vectors @ query) / np.where(norms > 0, norms, 1)
        else:
            raise ValueError(f"metric must be dot or cosine, got {metric!r}")
        scores[self.item_row(item_id)] = -np.inf
        k = min(k, len(scores) - 1)
        top = np.argpartition(-scores, k - 1)[:k] if k > 0 else np.array([], dtype=int)
        top = top[np.argsort(-scores[top], kind="stable")]
        frame = self.items.iloc[top].copy()
        frame.insert(1, "score", scores[top])
        return frame.reset_index(drop=True)

    # ---- checks -----------------------------------------------------------

    def verify(self):
        """Checks every file the manifest lists against its size and
        CRC-32C; raises SnapshotError naming the first that differs."""
        for entry in self._manifest.files:
            path = self._file(entry.name)
            if not os.path.isfile(path):
                raise SnapshotError(f"{path}: missing (listed in {MANIFEST})")
            size = os.path.getsize(path)
            if size != entry.size_bytes:
                raise SnapshotError(
                    f"{path}: {size} bytes, the manifest says {entry.size_bytes}: "
                    "the file is truncated or was changed")
            crc = crc32c_of_file(path)
            if crc != entry.crc32c:
                raise SnapshotError(
                    f"{path}: CRC-32C {crc:#010x}, the manifest says "
                    f"{entry.crc32c:#010x}: the file is corrupt")

    def _check_shapes(self):
        m = self._manifest
        items = self.item_embeddings
        if items.shape != (m.num_items, m.embedding_dimension):
            raise SnapshotError(
                f"{self._file('item_factors.emb')}: shape {items.shape}, the manifest "
                f"says {m.num_items} items x {m.embedding_dimension}")
        if self.customer_embeddings.shape[1:] != (m.embedding_dimension,):
            raise SnapshotError(
                f"{self._file('customer_factors.emb')}: dimension "
                f"{self.customer_embeddings.shape[1]}, the manifest says "
                f"{m.embedding_dimension}")

    # ---- internals ------------------------------------------------------

    def _file(self, name):
        return os.path.join(self.path, name)

    def _parse(self, name, message):
        path = self._file(name)
        try:
            with open(path, "rb") as f:
                message.ParseFromString(f.read())
        except OSError as error:
            raise SnapshotError(f"{path}: cannot read: {error.strerror}") from None
        except protobuf_message.DecodeError as error:
            raise SnapshotError(f"{path}: not a valid {message.DESCRIPTOR.name}: {error}") from None
        return message

    def _item_rows(self):
        if self._rows_by_item is None:
            self._rows_by_item = {item: row for row, item in enumerate(self.items["item_id"])}
        return self._rows_by_item

    def _load_customers(self):
        if self._customers is not None:
            return
        table = self._parse("customers.binpb", snapshot_pb2.CustomerTable())
        item_ids = self.items["item_id"].to_numpy()
        people, bought = [], {"customer_id": [], "item_id": [], "purchased_at": [],
                              "quantity": [], "unit_price": []}
        for c in table.customers:
            people.append((c.id, c.age_band, c.gender, c.region, c.factor_row,
                           len(c.purchased_items), c.last_event_time))
            n = len(c.purchased_items)
            rows = np.asarray(c.purchased_items, dtype=np.int64)
            if n and (rows.min() < 0 or rows.max() >= len(item_ids)
                      or len(c.purchase_times) != n):
                raise SnapshotError(
                    f"{self._file('customers.binpb')}: customer {c.id!r} has purchases "
                    f"that do not match the {len(item_ids)} items")
            bought["customer_id"].extend([c.id] * n)
            bought["item_id"].extend(item_ids[rows])
            bought["purchased_at"].extend(c.purchase_times)
            bought["quantity"].extend(c.purchase_quantities or [1] * n)
            bought["unit_price"].extend(c.purchase_unit_prices or [np.nan] * n)
        customers = pd.DataFrame(people, columns=[
            "customer_id", "age_band", "gender", "region", "factor_row",
            "num_purchases", "last_event_time"])
        customers["last_event_time"] = pd.to_datetime(
            customers["last_event_time"].replace(0, np.nan), unit="s", utc=True)
        purchases = pd.DataFrame(bought)
        purchases["purchased_at"] = pd.to_datetime(purchases["purchased_at"], unit="s", utc=True)
        self._customers = (customers, purchases)


def _read_manifest(path):
    manifest_path = os.path.join(path, MANIFEST)
    try:
        with open(manifest_path, encoding="utf-8") as f:
            text = f.read()
    except OSError as error:
        raise SnapshotError(f"{manifest_path}: cannot read: {error.strerror}") from None
    except UnicodeDecodeError:
        raise SnapshotError(f"{manifest_path}: not text: the file is corrupt") from None
    try:
        return text_format.Parse(text, snapshot_pb2.Manifest())
    except text_format.ParseError as error:
        raise SnapshotError(f"{manifest_path}: not a valid manifest: {error}") from None


def _map_embeddings(path):
    try:
        with open(path, "rb") as f:
            header = f.read(_EMBEDDING_HEADER_BYTES)
        size = os.path.getsize(path)
    except OSError as error:
        raise SnapshotError(f"{path}: cannot read: {error.strerror}") from None
    if len(header) < _EMBEDDING_HEADER_BYTES or header[:8] != _EMBEDDING_MAGIC:
        raise SnapshotError(f"{path}: not an embedding file (bad header)")
    rows = int(np.frombuffer(header, "<u8", 1, 8)[0])
    dimension = int(np.frombuffer(header, "<u4", 1, 16)[0])
    expected = _EMBEDDING_HEADER_BYTES + rows * dimension * 4
    if dimension == 0 or size != expected:
        raise SnapshotError(f"{path}: {size} bytes, expected {expected} for "
                            f"{rows} x {dimension} float32")
    if rows == 0:
        return np.zeros((0, dimension), dtype="<f4")
    return np.memmap(path, dtype="<f4", mode="r", offset=_EMBEDDING_HEADER_BYTES,
                     shape=(rows, dimension))
