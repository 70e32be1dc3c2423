import json
import time

from aesthetics.vibe.reader import read

rows = [json.loads(line) for line in open("/work/main/optimize/data/reader/dev-v1.jsonl")]
out = []
t0 = time.perf_counter()
for r in rows:
    rd = read(r["text"])
    for ax, d in r["axes"].items():
        a = rd.axes[ax]
        out.append(dict(id=r["id"], axis=ax, label=d, target=a.target, confidence=a.confidence))
el = time.perf_counter() - t0
json.dump(dict(rows=out, seconds=el, n_texts=len(rows)), open("reader_out.json", "w"))
print(len(out), el)
