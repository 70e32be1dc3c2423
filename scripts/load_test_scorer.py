"""Load test of the scoring service on loopback: N requests at C concurrent, errors, latency, RSS.

    python scripts/load_test_scorer.py --requests 1000 --concurrency 20

Starts the service (dsp backend) in this process on 127.0.0.1, posts a
2-second WAV N times from C threads, and prints the status counts, p50/p99
latency and the process RSS before and after. Bounded: nothing leaves the
machine, and it stops after N requests.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from aesthetics.service import create_app  # noqa: E402
from aesthetics.wire import encode_wav  # noqa: E402

from judge_server import serving  # noqa: E402
from judge_signals import SR, music  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=2.0, help="length of the clip posted")
    args = parser.parse_args()
    wav = encode_wav(music(args.seconds), SR)
    app = create_app(token="load")
    statuses: Counter[int] = Counter()
    latencies: list[float] = []
    lock = threading.Lock()
    with serving(app) as url, httpx.Client(timeout=120, limits=httpx.Limits(max_connections=args.concurrency)) as client:
        client.post(url + "/score", files={"file": ("w.wav", wav)}, headers={"Authorization": "Bearer load"})
        before = rss_mb()

        def one(_: int) -> None:
            start = time.perf_counter()
            try:
                code = client.post(url + "/score", files={"file": ("w.wav", wav)}, headers={"Authorization": "Bearer load"}).status_code
            except httpx.HTTPError:
                code = -1
            with lock:
                statuses[code] += 1
                latencies.append(time.perf_counter() - start)

        started = time.perf_counter()
        with ThreadPoolExecutor(args.concurrency) as pool:
            list(pool.map(one, range(args.requests)))
        wall = time.perf_counter() - started
        after = rss_mb()
    p50, p99 = np.percentile(latencies, [50, 99])
    errors = sum(n for code, n in statuses.items() if code != 200)
    print(f"requests {args.requests} at {args.concurrency} concurrent, {args.seconds:g} s WAV ({len(wav) / 1e6:.2f} MB)")
    print(f"status counts {dict(sorted(statuses.items()))}; errors {errors}")
    print(f"latency p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms; throughput {args.requests / wall:.1f} req/s")
    print(
        f"RSS before {before:.0f} MB, after {after:.0f} MB; decode budget peak "
        f"{app.state.decode_budget.peak / 2**20:.0f} MB, refused {app.state.decode_budget.refused}"
    )


if __name__ == "__main__":
    main()
