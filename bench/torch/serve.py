"""
The PyTorch side of engram's interleaved bench: a long-lived process that sets
up twins and times ONE run per request, so that the bench can alternate engram
and torch round by round. One JSON object per line on stdin, one reply per line
on stdout:

  {"op": "info"}                                    -> {torch, threads, blas_threads, corename, max_rss_kb}
  {"op": "setup", "id": ID, "case": NAME, "params": {...}, "warmup": N} -> {ok}
  {"op": "run", "id": ID}                           -> {ms}
  {"op": "drop", "id": ID}                          -> {ok}
  {"op": "quit"}

Threads: $ENGRAM_TORCH_THREADS (torch.set_num_threads) and $OPENBLAS_NUM_THREADS,
both set by the bench when it starts this process.
"""
import gc
import json
import os
import resource
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

from common import openblas_corename  # noqa: E402
from workloads import WORKLOADS  # noqa: E402


def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main():
    live = {}
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            msg = json.loads(line)
            op = msg.get("op")
            if op == "info":
                reply({
                    "torch": torch.__version__,
                    "threads": torch.get_num_threads(),
                    "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
                    "corename": openblas_corename(),
                    "max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                })
            elif op == "setup":
                factory, per = WORKLOADS[msg["case"]]
                fn = factory(**msg.get("params", {}))
                for _ in range(int(msg.get("warmup", 1))):
                    fn()
                live[msg["id"]] = (fn, per)
                reply({"ok": True})
            elif op == "run":
                fn, per = live[msg["id"]]
                t0 = time.perf_counter()
                fn()
                reply({"ms": (time.perf_counter() - t0) * 1000.0 / per})
            elif op == "drop":
                live.pop(msg["id"], None)
                gc.collect()
                reply({"ok": True})
            elif op == "quit":
                reply({"ok": True})
                return
            else:
                reply({"error": f"unknown op {op!r}"})
        except Exception as e:  # report, keep serving
            reply({"error": f"{type(e).__name__}: {e}"})


if __name__ == "__main__":
    main()
