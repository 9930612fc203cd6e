"""From a shop's history to live picks, in Python.

Generates the sample shop, trains a model, evaluates it against the
baselines at several list lengths and plots nDCG@k per model, looks at the
nearest items of one item in the model snapshot, then starts the server on
the new model and asks it for one customer's picks.

    python3 clients/python/examples/train_evaluate_serve.py --out=example-run

Cells are marked with "# %%", so the file also opens as a notebook in
editors that understand them. See clients/python/README.md for the set-up.
"""

# %% Set-up
import argparse
import os

import matplotlib

matplotlib.use("Agg")  # Write PNG files; no display needed.
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from shop_recommender import tools  # noqa: E402

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--out", default="example-run",
                    help="folder for the shop, the models and the plot")
parser.add_argument("--bazel_bin", default=None,
                    help="Bazel output folder with the binaries (default: "
                         "$SHOP_RECOMMENDER_BAZEL_BIN or the checkout's bazel-bin)")
parser.add_argument("--customers", type=int, default=2000)
parser.add_argument("--items", type=int, default=500)
parser.add_argument("--test_days", type=int, default=7,
                    help="the last this many days of the shop are the test")
parser.add_argument("--tune", default="on", choices=["on", "off"],
                    help="self-tuning of each training (docs/evaluation.md); off "
                         "trains with the trainer's settings as given")
args = parser.parse_args()
binaries = tools.Binaries(bazel_bin=args.bazel_bin)
os.makedirs(args.out, exist_ok=True)
pd.set_option("display.width", 120)
pd.set_option("display.max_columns", 12)

# %% The sample shop: catalog.csv, customers.csv, events.csv
shop = os.path.join(args.out, "shop")
if not os.path.exists(os.path.join(shop, "events.csv")):
    tools.generate_sample_data(shop, customers=args.customers, items=args.items,
                               binaries=binaries)
events = pd.read_csv(os.path.join(shop, "events.csv"))
print(f"{len(events)} events:", events["type"].value_counts().to_dict())

# %% Train: the trainer's progress shows as it goes; we get the snapshot back
snapshot = tools.train(shop, os.path.join(args.out, "models"), binaries=binaries,
                       tune=args.tune)
manifest = snapshot.manifest
print(f"model {snapshot.version}: {manifest['num_items']} items, "
      f"{manifest['num_customers']} customers, {manifest['embedding_dimension']} factors, "
      f"data to {manifest['data_end']}")

# %% Evaluate against the baselines on a time split, at several k
data_end = pd.Timestamp(manifest["data_end"])
split = f"time:{(data_end - pd.Timedelta(days=args.test_days - 1)).date()}"
metrics = tools.evaluate_at_ks(shop, split, ks=(1, 3, 5, 10, 20), seed=1,
                               binaries=binaries, progress=False,
                               tune=args.tune)
ndcg = metrics[metrics.metric == "ndcg"].pivot_table(
    index=["task", "model"], columns="k", values="value")
print(f"nDCG@k on {split} (task all: any purchase; new: items not bought before)")
print(ndcg.round(4).to_string())

# %% Plot nDCG@k per model, one panel per task
fig, axes = plt.subplots(1, 2, figsize=(12, 4.2), sharex=True)
for ax, task in zip(axes, ["all", "new"]):
    for model, row in ndcg.loc[task].iterrows():
        ax.plot(row.index, row.values, marker="o",
                linewidth=2.5 if model == "default" else 1.2, label=model)
    ax.set_title(f"task {task}")
    ax.set_xlabel("k (list length)")
    ax.set_ylabel("nDCG@k")
    ax.set_xticks(list(ndcg.columns))
    ax.grid(alpha=0.3)
fig.legend(*axes[0].get_legend_handles_labels(), loc="center right", title="model")
fig.suptitle(f"Sample shop, {split}: the served model (default) against the baselines")
fig.tight_layout(rect=(0, 0, 0.88, 1))
plot = os.path.join(args.out, "ndcg_at_k.png")
fig.savefig(plot, dpi=120)
print("plot:", plot)

# %% The snapshot without a server: nearest items of the best seller
best_seller = snapshot.purchases["item_id"].value_counts().index[0]
anchor = snapshot.items.iloc[snapshot.item_row(best_seller)]
print(f"nearest to {best_seller} {anchor['title']} ({anchor['category']}):")
nearest = snapshot.nearest_items(best_seller, k=5)
print(nearest[["item_id", "score", "title", "category", "durability"]].to_string(index=False))

# %% The live server: picks for the customer who bought last
customer = snapshot.purchases.sort_values("purchased_at")["customer_id"].iloc[-1]
with tools.LocalServer(os.path.join(args.out, "models"), clock="data_end",
                       binaries=binaries) as server:
    client = server.client()
    client.wait_for_model()
    history = client.customer_history(customer, max_purchases=5)
    print(f"{customer} bought lately:")
    print(history[["purchased_at", "item_id", "title", "durability"]].to_string(index=False))
    picks = client.recommend(customer, count=5)
    print(f"picks for {customer} (model {picks.attrs['model_version']}):")
    print(picks[["rank", "item_id", "title", "reason", "reason_text"]].to_string(index=False))
    served = client.similar_items(best_seller, count=5)
    same = list(served["item_id"]) == list(nearest["item_id"])
    print("server's SimilarItems agrees with the snapshot's nearest items:", same)
    client.close()
