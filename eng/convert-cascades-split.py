#!/usr/bin/python3
"""Convert mzelling/rational-llm-cascades per-query chain results to the outcome CSV format.

Usage (with a bare clone or mirror of the repository at REPO):
    python3 convert.py REPO test  > cascades-test.csv
    python3 convert.py REPO train > cascades-train-check.csv   # must equal the shared training file

Reads benchmarks/data/<benchmark>/chain_results/<benchmark>_full_<chain>_chain_results_<split>.pkl
from HEAD with `git show`, so no work tree is needed. The pickles reference the authors' `hcma`
package; its classes are replaced by empty stubs because only plain lists and dicts are read.
Needs Python 3 with pandas (the pickles hold pandas/numpy values).
"""
import csv
import io
import math
import os
import pickle
import subprocess
import sys

BENCHMARKS = ["mmlu", "medmcqa", "triviaqa", "truthfulqa", "gsm8k"]
CHAINS = ["llama", "qwen_oai"]
COLUMNS = ["benchmark", "chain", "query", "model", "tier", "correct", "cost_usd",
           "tokens_in", "tokens_out", "latency_ms", "confidence", "answer"]


class _Stub:
    def __init__(self, *args, **kwargs):
        pass

    def __setstate__(self, state):
        self.__dict__["state"] = state


class _Unpickler(pickle.Unpickler):
    def find_class(self, module, name):
        try:
            return super().find_class(module, name)
        except (ImportError, AttributeError):
            return type(name, (_Stub,), {})


def _load(repo, path):
    git_dir = repo if os.path.isdir(os.path.join(repo, "objects")) else os.path.join(repo, ".git")
    blob = subprocess.run(["git", "--git-dir", git_dir, "show", "HEAD:" + path],
                          capture_output=True)
    if blob.returncode != 0:
        return None  # absent in this snapshot (gsm8k has no test results)
    return _Unpickler(io.BytesIO(blob.stdout)).load()


def _number(value):
    return "%g" % value


def _confidence(value):
    value = float(value)
    if math.isinf(value) or math.isnan(value):
        return ""
    return "%g" % value


def _answer(value):
    return " ".join(str(value).split())[:200]


def rows(repo, split):
    for benchmark in BENCHMARKS:
        for chain in CHAINS:
            path = (f"benchmarks/data/{benchmark}/chain_results/"
                    f"{benchmark}_full_{chain}_chain_results_{split}.pkl")
            data = _load(repo, path)
            if data is None:
                print(f"skipped (absent): {path}", file=sys.stderr)
                continue
            models = list(data["model_answers"].keys())
            count = len(data["model_answers"][models[0]])
            for query in range(count):
                for tier, model in enumerate(models):
                    tokens = data["model_tokens"][model][query]
                    yield [benchmark, chain, query, model, tier,
                           int(bool(data["model_correctness"][model][query])),
                           _number(float(data["model_costs"][model][query])),
                           int(tokens["in"]), int(tokens["out"]),
                           "%.1f" % float(data["model_latencies"][model][query]),
                           _confidence(data["raw_confidences"][model][query]),
                           _answer(data["model_answers"][model][query])]


def main():
    sys.stdout.reconfigure(newline="")
    if len(sys.argv) != 3 or sys.argv[2] not in ("train", "test"):
        sys.exit(__doc__)
    writer = csv.writer(sys.stdout, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows(sys.argv[1], sys.argv[2]):
        writer.writerow(row)


if __name__ == "__main__":
    main()
