#!/usr/bin/env python3
"""Writes a synthetic outcome CSV for measuring `routing calibrate` on large files (never commit the output).

Each task has --models models m00.. in cost order, each right on a share of queries that grows with its cost, with a
log-probability confidence that is higher when it is right. Every row carries a free-text `rationale` column of
--rationale characters, which the reader ignores: real outcome files carry prompts and explanations like it, and it
sets the file's size without adding cells. Rows are written task by task, query by query, model by model.

  python3 eng/make-outcomes.py --out big.csv --size-mb 1024 --tasks 8 --models 4 --rationale 900
  python3 eng/make-outcomes.py --out wide.csv --tasks 1 --models 20 --queries 300 --rationale 0
"""
import argparse
import random

parser = argparse.ArgumentParser()
parser.add_argument("--out", required=True)
parser.add_argument("--size-mb", type=float, default=0, help="stop once the file reaches this size (then --queries is a cap)")
parser.add_argument("--tasks", type=int, default=8)
parser.add_argument("--models", type=int, default=4)
parser.add_argument("--queries", type=int, default=10**9)
parser.add_argument("--rationale", type=int, default=900)
parser.add_argument("--seed", type=int, default=1)
args = parser.parse_args()

rng = random.Random(args.seed)
limit = int(args.size_mb * 1024 * 1024) if args.size_mb > 0 else None
words = "the customer asked about billing and the model weighed the clause against the policy before it answered".split()
filler = " ".join(rng.choice(words) for _ in range(args.rationale // 4 + 1))[: args.rationale]
queries = args.queries
if limit is not None:
    row = 60 + args.rationale
    queries = min(queries, limit // (row * args.tasks * args.models) + 1)

with open(args.out, "w", encoding="utf-8", newline="\n") as f:
    f.write("benchmark,query,model,tier,correct,cost_usd,tokens_in,tokens_out,confidence,answer,rationale\n")
    written = 0
    for t in range(args.tasks):
        skills = [0.55 + 0.4 * m / max(1, args.models - 1) for m in range(args.models)]
        chunk = []
        for q in range(queries):
            truth = q % 3
            for m in range(args.models):
                right = rng.random() < skills[m]
                answer = "abc"[truth] if right else "abc"[(truth + 1 + m) % 3]
                confidence = -rng.random() * 0.3 if right else -0.2 - rng.random() * 2.5
                cost = 0.0001 * (m + 1) ** 2
                chunk.append(f"task{t},q{q},m{m:02d},{m},{int(right)},{cost:.6g},400,{1 + (q + m) % 5},{confidence:.5f},{answer},{filler}\n")
            if len(chunk) >= 20000:
                text = "".join(chunk)
                f.write(text)
                written += len(text)
                chunk = []
        text = "".join(chunk)
        f.write(text)
        written += len(text)
