"""Runs the project's own binaries from Python and returns their results.

    from shop_recommender import tools
    snap = tools.train("shop", "models")                     # a Snapshot
    result = tools.evaluate("shop", split="time:2026-09-01") # the JSON, a dict
    tools.evaluation_metrics(result)                         # a tidy DataFrame
    with tools.LocalServer("models", clock="data_end") as server:
        server.client().recommend("C00001")

Nothing is re-implemented here: each function runs the binary (train,
evaluate, tune, fit_btyd, generate_sample_data, server), shows its progress
lines as they come (progress=True prints them to stderr; a callable gets
each line; False is silent) and parses what it prints. A failed run raises
ToolError with the end of its output.

The binaries are found in a Bazel output folder (bazel-bin), given as
Binaries(bazel_bin=...), by the environment variable
SHOP_RECOMMENDER_BAZEL_BIN, or else as the bazel-bin folder of the source
checkout this package is in; Binaries(paths={"train": "/opt/x/train"})
names single binaries anywhere. Build them with
    bazel build //serving:server //training:train \\
        //training/sample_data:generate_sample_data \\
        //training/evaluation:evaluate //training/tuning:tune \\
        //training/timing:fit_btyd
"""

import io
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time

import pandas as pd

from shop_recommender.client import Client
from shop_recommender.errors import ToolError
from shop_recommender.snapshot import Snapshot

# Each binary's path below bazel-bin; its Bazel label is //dir:name.
BINARY_PATHS = {
    "server": "serving/server",
    "train": "training/train",
    "generate_sample_data": "training/sample_data/generate_sample_data",
    "evaluate": "training/evaluation/evaluate",
    "tune": "training/tuning/tune",
    "fit_btyd": "training/timing/fit_btyd",
}
BAZEL_BIN_ENV = "SHOP_RECOMMENDER_BAZEL_BIN"


def label_of(name):
    """The Bazel label of a binary, e.g. //training:train."""
    folder, _, binary = BINARY_PATHS[name].rpartition("/")
    return f"//{folder}:{binary}"


class Binaries:
    """Where the project's binaries are.

    Args:
      bazel_bin: a Bazel output folder (bazel-bin, or a runfiles tree) in
        which each binary is at its package path; default: the environment
        variable SHOP_RECOMMENDER_BAZEL_BIN, else the bazel-bin of the
        checkout holding this package.
      paths: {name: path} for binaries elsewhere; names as in BINARY_PATHS.
    """

    def __init__(self, bazel_bin=None, paths=None):
        self.bazel_bin = bazel_bin or os.environ.get(BAZEL_BIN_ENV) or _checkout_bazel_bin()
        self.paths = dict(paths or {})
        unknown = set(self.paths) - set(BINARY_PATHS)
        if unknown:
            raise ValueError(f"unknown binaries {sorted(unknown)}; known: {sorted(BINARY_PATHS)}")

    def path(self, name):
        """The path of one binary; FileNotFoundError saying how to build it."""
        if name in self.paths:
            path = self.paths[name]
        elif self.bazel_bin:
            path = os.path.join(self.bazel_bin, BINARY_PATHS[name])
        else:
            path = None
        if path is None or not os.access(path, os.X_OK):
            raise FileNotFoundError(
                f"{name}: no binary at {path or '(no bazel-bin found)'}; build it with "
                f"`bazel build {label_of(name)}`, or set {BAZEL_BIN_ENV} or "
                "Binaries(bazel_bin=..., paths=...)")
        return path

    def __repr__(self):
        return f"Binaries(bazel_bin={self.bazel_bin!r}, paths={self.paths!r})"


def _checkout_bazel_bin():
    """bazel-bin of the source checkout (the folder with WORKSPACE) that
    holds this package, or None."""
    folder = os.path.dirname(os.path.abspath(__file__))
    while True:
        if os.path.isfile(os.path.join(folder, "WORKSPACE")):
            candidate = os.path.join(folder, "bazel-bin")
            return candidate if os.path.isdir(candidate) else None
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def flags(**values):
    """Command-line flags from keyword arguments: --name=value, with
    booleans as true/false, lists comma-joined and None left out."""
    args = []
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, (list, tuple)):
            value = ",".join(str(v) for v in value)
        args.append(f"--{name}={value}")
    return args


def run(name, args, *, binaries=None, progress=True, progress_stream="stderr"):
    """Runs one binary to its end; returns (stdout, stderr) as text.

    The lines of `progress_stream` ("stderr" or "stdout") are shown as they
    come (see the module's doc); the other stream is only collected.
    Raises ToolError if the binary exits with a non-zero status.
    """
    binaries = binaries or Binaries()
    command = [binaries.path(name)] + list(args)
    show = _progress_sink(name, progress)
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               stdin=subprocess.DEVNULL, text=True, bufsize=1)
    collected = {"stdout": io.StringIO(), "stderr": io.StringIO()}

    def pump(stream_name, stream):
        for line in stream:
            collected[stream_name].write(line)
            if stream_name == progress_stream:
                show(line.rstrip("\n"))

    threads = [threading.Thread(target=pump, args=(n, getattr(process, n)), daemon=True)
               for n in ("stdout", "stderr")]
    for thread in threads:
        thread.start()
    returncode = process.wait()
    for thread in threads:
        thread.join()
    stdout, stderr = collected["stdout"].getvalue(), collected["stderr"].getvalue()
    if returncode != 0:
        tail = "\n".join((stderr or stdout).strip().splitlines()[-20:])
        raise ToolError(name, returncode, tail)
    return stdout, stderr


def _progress_sink(name, progress):
    if callable(progress):
        return progress
    if progress:
        return lambda line: print(f"[{name}] {line}", file=sys.stderr, flush=True)
    return lambda line: None


def _dataset(dataset):
    """"shop:DIR" or "movielens:DIR" as given; a bare folder is a shop."""
    text = os.fspath(dataset)
    return text if re.match(r"^(shop|movielens):", text) else f"shop:{text}"


# ---- the tools ------------------------------------------------------------

def generate_sample_data(out_dir, *, customers=None, items=None, days=None, seed=None,
                         binaries=None, progress=False, **more_flags):
    """Writes the sample shop (catalog.csv, customers.csv, events.csv and
    the generator's ground truth) to out_dir; returns out_dir. Defaults are
    the generator's (2000 customers, 500 items, 365 days to 2026-09-30)."""
    run("generate_sample_data",
        flags(out=os.fspath(out_dir), customers=customers, items=items, days=days,
              seed=seed, **more_flags),
        binaries=binaries, progress=progress, progress_stream="stdout")
    return os.fspath(out_dir)


def train(data_dir, model_dir, *, version=None, event_log_dir=None, config=None,
          binaries=None, progress=True, **more_flags):
    """Trains on a shop export and returns the new Snapshot (verified).

    More trainer flags go as keywords: train(..., factors=64, epochs=10);
    config= names a flag file (--config). Progress is the trainer's
    per-epoch log."""
    stdout, _ = run("train",
                    flags(config=config, data_dir=os.fspath(data_dir),
                          model_dir=os.fspath(model_dir), version=version,
                          event_log_dir=event_log_dir, **more_flags),
                    binaries=binaries, progress=progress, progress_stream="stdout")
    written = re.search(r"^wrote model version (\d+) to ", stdout, re.MULTILINE)
    return Snapshot.open(model_dir, version=int(written.group(1)) if written else version)


def evaluate(dataset, split, *, k=10, models=None, seed=None, binaries=None,
             progress=True, **more_flags):
    """Trains the default model and the baselines on one split and scores
    them (docs/evaluation.md); returns the evaluation's JSON as a dict.

    Args:
      dataset: "shop:DIR", "movielens:DIR" or a shop folder.
      split: "time:YYYY-MM-DD", "last-days:N" or "random-75-25".
      models: e.g. ["popularity", "ials", "default"]; None: all.
      more_flags: the evaluation's and the trainer's flags, e.g.
        test_days=7, factors=64.
    """
    stdout, _ = run("evaluate",
                    flags(dataset=_dataset(dataset), split=split, k=k, models=models,
                          seed=seed, **more_flags),
                    binaries=binaries, progress=progress)
    return json.loads(stdout)


def evaluation_metrics(result):
    """An evaluation's per-model metrics as a tidy DataFrame: model, task
    ("all" or "new"; MovieLens has only "new"), metric ("ndcg"), k, value."""
    rows = []
    for model, entry in result["models"].items():
        tasks = ({t: entry[t] for t in ("all", "new") if t in entry}
                 if "all" in entry or "new" in entry else {"new": entry})
        for task, metrics in tasks.items():
            for key, value in metrics.items():
                metric, at, k = key.partition("@")
                if at and k.isdigit():
                    rows.append((model, task, metric, int(k), value))
    return pd.DataFrame(rows, columns=["model", "task", "metric", "k", "value"])


def evaluate_at_ks(dataset, split, ks=(1, 3, 5, 10, 20), **kwargs):
    """evaluation_metrics() at several list lengths, one evaluate() run per
    k (the same seed gives the same split and models each time); keyword
    arguments as evaluate()."""
    frames = [evaluation_metrics(evaluate(dataset, split, k=k, **kwargs)) for k in ks]
    return pd.concat(frames, ignore_index=True)


def tune(dataset, split, *, grid=None, search="grid", trials=None, model="ials", k=10,
         seed=None, binaries=None, progress=True, **more_flags):
    """A grid or random search over training settings, each trial scored
    as evaluate() scores (docs/evaluation.md, "Tuning"); returns the table
    of trials as a DataFrame (one row per trial, the settings and the
    "task/metric@k" columns).

    Args:
      grid: {setting: values}, e.g. {"factors": [32, 64], "alpha": [1, 2]}
        (factors, epochs, regularization, regularization_exponent, alpha,
        view_weight, cart_weight, purchase_weight, recency_half_life_days).
      model: "ials" (plain iALS) or "default" (the whole pipeline).
    """
    grid_flags = {f"grid_{name}": list(values) for name, values in (grid or {}).items()}
    stdout, _ = run("tune",
                    flags(dataset=_dataset(dataset), split=split, search=search,
                          trials=trials, model=model, k=k, seed=seed, **grid_flags,
                          **more_flags),
                    binaries=binaries, progress=progress)
    return pd.read_csv(io.StringIO(stdout), sep="\t")


def fit_btyd(data_dir=None, *, cdnow=None, calibration_end=None, time_unit="week",
             per_customer=False, horizon_days=None, binaries=None, progress=True,
             **more_flags):
    """Fits BG/NBD, Pareto/NBD and Gamma-Gamma to a shop export (data_dir)
    or a CDNOW file (cdnow=); returns the fit's JSON as a dict. With
    per_customer=True its "per_customer" entry is a DataFrame of each
    customer's x, t_x, T, p_active, expected orders and value, and CLV over
    horizon_days."""
    with tempfile.TemporaryDirectory() as scratch:
        customers_out = os.path.join(scratch, "customers.csv") if per_customer else None
        stdout, _ = run("fit_btyd",
                        flags(data_dir=None if data_dir is None else os.fspath(data_dir),
                              cdnow=cdnow, calibration_end=calibration_end,
                              time_unit=time_unit, customers_out=customers_out,
                              horizon_days=horizon_days, **more_flags),
                        binaries=binaries, progress=progress)
        result = json.loads(stdout)
        if per_customer:
            result["per_customer"] = pd.read_csv(customers_out, dtype={"customer_id": str})
    return result


class LocalServer:
    """The project's server (//serving:server) on a free loopback port, for
    notebooks, scripts and tests; a context manager.

    Args:
      model_dir: the folder of model versions to serve.
      event_log_dir: enables record_events / upsert_items (--event_log_dir).
      clock: "wall" or "data_end" (rank as of the model's newest event,
        for historical data); None: the server's default.
      host, port: where to listen; port 0 picks a free one (`port` tells
        which once started).
      log_path: where the server's log goes; default a file in a temporary
        folder (`log_path` tells which).
      more_flags: other server flags, e.g. threads=4.
    """

    def __init__(self, model_dir, *, event_log_dir=None, clock=None, host="127.0.0.1",
                 port=0, binaries=None, log_path=None, startup_timeout=60.0, **more_flags):
        self._scratch = tempfile.TemporaryDirectory(prefix="shop-recommender-server-")
        self.log_path = log_path or os.path.join(self._scratch.name, "server.log")
        self._port_file = os.path.join(self._scratch.name, "port")
        self._command = [(binaries or Binaries()).path("server")] + flags(
            model_dir=os.fspath(model_dir), host=host, port=port, port_file=self._port_file,
            event_log_dir=None if event_log_dir is None else os.fspath(event_log_dir),
            clock=clock, **more_flags)
        self._host = host
        self._startup_timeout = startup_timeout
        self._process = None
        self.port = None

    @property
    def target(self):
        """"host:port" to connect to."""
        return f"{self._host}:{self.port}"

    def start(self):
        """Starts the server and waits until it listens; returns self.
        Raises ToolError with its log if it exits or does not listen within
        startup_timeout seconds."""
        with open(self.log_path, "ab") as log:
            self._process = subprocess.Popen(self._command, stdout=log, stderr=log,
                                             stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + self._startup_timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise ToolError("server", self._process.returncode, self.log_tail())
            port = _read_port(self._port_file)
            if port:
                self.port = port
                return self
            time.sleep(0.05)
        self.stop()
        raise ToolError("server", -1, "did not listen within "
                        f"{self._startup_timeout} s\n{self.log_tail()}")

    def client(self, **options):
        """A Client of this server (options as Client's)."""
        return Client(self.target, **options)

    def stop(self, timeout=30.0):
        """SIGTERM, then waits for the server to drain and exit; returns its
        exit status (None if it was not running)."""
        if self._process is None:
            return None
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(timeout)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        return self._process.returncode

    def log_tail(self, lines=20):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        self._scratch.cleanup()


def _read_port(path):
    try:
        with open(path, encoding="ascii") as f:
            text = f.read().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() and int(text) > 0 else None
