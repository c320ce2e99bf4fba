"""Reliability diagram (PNG) from ascribe-eval's reliability.csv.

usage: python3 plot.py RESULTS_DIR
"""
import csv
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

out = sys.argv[1] if len(sys.argv) > 1 else "bench/attack-campaigns/results"
rows = list(csv.DictReader(open(f"{out}/reliability.csv")))
series = defaultdict(list)
for r in rows:
    series[(r["method"], r["slice"])].append(r)

slices = [("reports-test", "new reports, test half"), ("campaigns", "held-out campaigns")]
methods = [m for m in dict.fromkeys(r["method"] for r in rows) if "shipped" in m or not m.startswith("ascribe")]
fig, axes = plt.subplots(1, 2, figsize=(11, 5), dpi=110)
for ax, (key, title) in zip(axes, slices):
    ax.plot([0, 1], [0, 1], ls="--", c="grey", lw=1, label="perfect calibration")
    for m in methods:
        pts = [(float(r["confidence"]), float(r["accuracy"]), int(r["n"])) for r in series[(m, key)] if int(r["n"]) > 0]
        if not pts:
            continue
        xs, ys, ns = zip(*pts)
        ax.plot(xs, ys, marker="o", label=m)
        if "shipped" in m:
            for x, y, n in pts:
                ax.annotate(str(n), (x, y), textcoords="offset points", xytext=(4, -10), fontsize=7)
    ax.set_title(f"{title}: top-1 probability vs accuracy")
    ax.set_xlabel("probability of the top-ranked group (bin mean)")
    ax.set_ylabel("fraction where it is the true group")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.legend(fontsize=7, loc="upper left")
fig.suptitle("ascribe-eval reliability diagram (numbers: cases per bin, ascribe)")
fig.tight_layout()
fig.savefig(f"{out}/reliability.png")
print(f"wrote {out}/reliability.png")
