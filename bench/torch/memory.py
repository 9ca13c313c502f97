"""
Peak memory of one PyTorch twin in a fresh process: sets up the case, runs it
`runs` times, prints {max_rss_kb, ms, ok} (ru_maxrss: the whole process, torch's
import included, as engram's number includes node and tfjs).

  memory.py --case et-train-step --params '{"tokens": 196}' [--runs 2]
"""
import argparse
import json
import os
import resource
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from workloads import WORKLOADS  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--case", required=True)
    ap.add_argument("--params", default="{}")
    ap.add_argument("--runs", type=int, default=2)
    a = ap.parse_args()
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    factory, per = WORKLOADS[a.case]
    out = {"case": a.case, "params": json.loads(a.params), "baseline_rss_kb": base}
    try:
        fn = factory(**out["params"])
        t0 = time.perf_counter()
        for _ in range(a.runs):
            fn()
        out["ms"] = (time.perf_counter() - t0) * 1000.0 / a.runs / per
        out["ok"] = True
    except Exception as e:
        out["ok"] = False
        out["error"] = f"{type(e).__name__}: {e}"
    out["max_rss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps(out))


if __name__ == "__main__":
    main()
