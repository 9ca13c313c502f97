"""
Runs the PyTorch twins of engram's bench cases one after the other (not interleaved;
the bench itself uses serve.py) and prints one JSON line {case: {median_ms, runs_ms}}.
Usage: run.py --cases a,b [--reps N]. Threads: see common.py.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import summary  # noqa: E402
import dense_am  # noqa: E402
import descent  # noqa: E402
import et  # noqa: E402
import matmul_peak  # noqa: E402
import sequence  # noqa: E402

TWINS = {
    "matmul-peak": matmul_peak.run,
    "dense-am-retrieval": dense_am.run,
    "et-inference": et.run_inference,
    "et-train-step": et.run_train,
    "descent-autodiff": descent.run_autodiff,
    "descent-closed-form": descent.run_closed_form,
    "sequence-transition": sequence.run,
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", default=",".join(TWINS))
    ap.add_argument("--reps", type=int, default=None)
    a = ap.parse_args()
    out = {}
    for name in [c for c in a.cases.split(",") if c]:
        if name not in TWINS:
            continue
        out[name] = summary(TWINS[name](a.reps))
        print(f"{name}: {out[name]['median_ms']:.1f} ms", file=sys.stderr)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
