import json
import os
from collections import defaultdict

from scipy.stats import binomtest, mannwhitneyu

CAT = {}
for line in open("/work/main/optimize/data/reader/dev-v1.jsonl"):
    o = json.loads(line)
    CAT[o["id"]] = o["category"]
AXES = ["pace", "energy", "brightness", "space", "density", "valence", "grit", "percussion", "width", "register"]
rd = json.load(open("reader_out.json"))
R = {(r["id"], r["axis"]): r for r in rd["rows"]}


def ci(k, n):
    c = binomtest(k, n).proportion_ci(method="wilson")
    return [round(c.low, 4), round(c.high, 4)]


def summ(correct):  # correct: dict key->bool
    per = defaultdict(lambda: [0, 0])
    for (i, ax), ok in correct.items():
        per[ax][0] += ok
        per[ax][1] += 1
    out = {ax: dict(k=per[ax][0], n=per[ax][1], acc=round(per[ax][0] / per[ax][1], 4), ci95=ci(*per[ax])) for ax in AXES if ax in per}
    k = sum(correct.values())
    n = len(correct)
    out["overall"] = dict(k=k, n=n, acc=round(k / n, 4), ci95=ci(k, n))
    return out


reader_ok = {k: (r["confidence"] > 0 and (("high" if r["target"] > 0.5 else "low") == r["label"])) for k, r in R.items()}
covered = {k: r["confidence"] > 0 for k, r in R.items()}
cov = defaultdict(lambda: [0, 0])
for (i, ax), c in covered.items():
    cov[ax][0] += c
    cov[ax][1] += 1
reader_cov = {ax: dict(covered=cov[ax][0], n=cov[ax][1], frac=round(cov[ax][0] / cov[ax][1], 4)) for ax in AXES}
reader_cov["overall"] = dict(covered=sum(covered.values()), n=len(covered), frac=round(sum(covered.values()) / len(covered), 4))
# reader accuracy on covered only
reader_ok_cov = {k: v for k, v in reader_ok.items() if covered[k]}
maj = {}
for ax in AXES:
    labs = [r["label"] for k, r in R.items() if k[1] == ax]
    m = max(labs.count("low"), labs.count("high"))
    maj[ax] = dict(k=m, n=len(labs), acc=round(m / len(labs), 4), majority="low" if labs.count("low") >= labs.count("high") else "high")
res = dict(
    majority_baseline_oracle=maj,
    n_expectations=len(R),
    n_texts=rd["n_texts"],
    reader=dict(
        accuracy=summ(reader_ok),
        coverage=reader_cov,
        accuracy_on_covered=summ(reader_ok_cov),
        ms_per_text=round(1000 * rd["seconds"] / rd["n_texts"], 3),
    ),
    lms={},
)
for m in ["smollm", "gemma"]:
    f = f"lm_{m}.json"
    if not os.path.exists(f):
        continue
    L = json.load(open(f))
    rows = {(o["id"], o["axis"]): o for o in L["rows"]}
    if len(rows) != len(R):
        print("skip incomplete", m, len(rows))
        continue
    lm_ok = {k: o["pred"] == o["label"] for k, o in rows.items()}
    # single-order accuracies (position-bias check)
    o1 = {k: ((o["diff_lo_hi_order"] > 0) == (o["label"] == "high")) for k, o in rows.items()}
    o2 = {k: ((o["diff_hi_lo_order"] > 0) == (o["label"] == "high")) for k, o in rows.items()}
    frac_high = sum(o["pred"] == "high" for o in rows.values()) / len(rows)
    lm_ok_uncov = {k: v for k, v in lm_ok.items() if not covered[k]}
    comb_ok = {k: (reader_ok[k] if covered[k] else lm_ok[k]) for k in R}
    b = sum(comb_ok[k] and not reader_ok[k] for k in R)  # combination right, reader wrong
    c = sum(reader_ok[k] and not comb_ok[k] for k in R)  # reader right, combination wrong (impossible by construction)
    p = binomtest(b, b + c, 0.5).pvalue if b + c else 1.0
    # fairer comparators for the fallback: reader's own raw direction at conf 0, constant "low", constant "high"
    alt = {}
    for name, f in [
        ("reader_raw_target", lambda k: ("high" if R[k]["target"] > 0.5 else "low") == R[k]["label"]),
        ("const_low", lambda k: R[k]["label"] == "low"),
        ("const_high", lambda k: R[k]["label"] == "high"),
    ]:
        ok = {k: (reader_ok[k] if covered[k] else f(k)) for k in R}
        bb = sum(comb_ok[k] and not ok[k] for k in R)
        cc = sum(ok[k] and not comb_ok[k] for k in R)
        alt[name] = dict(
            acc=round(sum(ok.values()) / len(R), 4),
            lm_fallback_right_alt_wrong=bb,
            alt_right_lm_fallback_wrong=cc,
            mcnemar_exact_p=binomtest(bb, bb + cc).pvalue if bb + cc else 1.0,
        )
    # threshold-free signal: AUC of score vs label per axis
    auc = {}
    for ax in AXES + ["overall"]:
        ks = [k for k in rows if ax == "overall" or k[1] == ax]
        hi = [rows[k]["score"] for k in ks if R[k]["label"] == "high"]
        lo = [rows[k]["score"] for k in ks if R[k]["label"] == "low"]
        if hi and lo:
            auc[ax] = round(mannwhitneyu(hi, lo).statistic / (len(hi) * len(lo)), 4)
    cat = defaultdict(lambda: [0, 0])
    for k, v in lm_ok.items():
        cat[CAT[k[0]]][0] += v
        cat[CAT[k[0]]][1] += 1
    res["lms"][m] = dict(
        gguf=L["gguf"],
        load_s=round(L["load_s"], 2),
        ms_per_forward=round(L["ms_per_forward"], 1),
        ms_per_text_labelled_axes=round(L["ms_per_text_labelled_axes"], 1),
        ms_per_text_all10_axes_est=round(L["ms_per_text_all10_axes_est"], 1),
        accuracy=summ(lm_ok),
        accuracy_order_lo_first=summ(o1)["overall"],
        accuracy_order_hi_first=summ(o2)["overall"],
        frac_pred_high=round(frac_high, 4),
        accuracy_where_reader_conf0=summ(lm_ok_uncov) if lm_ok_uncov else None,
        combination=dict(
            rule="reader if confidence>0 else LM",
            accuracy=summ(comb_ok),
            comb_right_reader_wrong=b,
            reader_right_comb_wrong=c,
            mcnemar_exact_p=p,
            delta_acc=round((sum(comb_ok.values()) - sum(reader_ok.values())) / len(R), 4),
            vs_other_fallbacks=alt,
        ),
        auc_per_axis=auc,
        accuracy_per_category={c: dict(k=v[0], n=v[1], acc=round(v[0] / v[1], 4)) for c, v in sorted(cat.items())},
    )
json.dump(res, open("results.json", "w"), indent=1)


def fmt(d):
    return f"{d['acc']:.3f} [{d['ci95'][0]:.2f}, {d['ci95'][1]:.2f}]"


lines = [
    "| axis | n | reader coverage | reader acc | "
    + " | ".join(f"{m} acc" for m in res["lms"])
    + " | "
    + " | ".join(f"reader+{m} acc" for m in res["lms"])
    + " |",
    "|---|---|---|---|" + "---|" * (2 * len(res["lms"])),
]
for ax in AXES + ["overall"]:
    ra = res["reader"]["accuracy"][ax]
    row = [ax, str(ra["n"]), f"{res['reader']['coverage'][ax]['frac']:.2f}", fmt(ra)]
    row += [fmt(v["accuracy"][ax]) for v in res["lms"].values()]
    row += [fmt(v["combination"]["accuracy"][ax]) for v in res["lms"].values()]
    lines.append("| " + " | ".join(row) + " |")
open("table.md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
for m, v in res["lms"].items():
    print(
        m,
        {
            k: v[k]
            for k in [
                "load_s",
                "ms_per_forward",
                "ms_per_text_labelled_axes",
                "ms_per_text_all10_axes_est",
                "accuracy_order_lo_first",
                "accuracy_order_hi_first",
                "frac_pred_high",
            ]
        },
    )
    print(" where reader conf0:", v["accuracy_where_reader_conf0"]["overall"] if v["accuracy_where_reader_conf0"] else None)
    print(" auc:", v["auc_per_axis"])
    print(" cat:", v["accuracy_per_category"])
    print(" alt:", v["combination"]["vs_other_fallbacks"])
    print(" comb:", {k: v["combination"][k] for k in ["comb_right_reader_wrong", "reader_right_comb_wrong", "mcnemar_exact_p", "delta_acc"]})
print("majority:", {a: m["acc"] for a, m in maj.items()})
rc = defaultdict(lambda: [0, 0])
for k, v in reader_ok.items():
    rc[CAT[k[0]]][0] += v
    rc[CAT[k[0]]][1] += 1
res["reader"]["accuracy_per_category"] = {c: dict(k=v[0], n=v[1], acc=round(v[0] / v[1], 4)) for c, v in sorted(rc.items())}
json.dump(res, open("results.json", "w"), indent=1)
print("reader cat:", res["reader"]["accuracy_per_category"])
print("reader on covered:", res["reader"]["accuracy_on_covered"]["overall"], "ms/text", res["reader"]["ms_per_text"])
