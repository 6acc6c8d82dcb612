#!/usr/bin/env python3
"""Builds the regurgitation experiment's training text from curated documents: 20 documents
appear 30 times each, 20 appear once, 20 are held out, and every other document appears once.
  make_data.py CURATED_FOLDER WORK_FOLDER"""
import glob
import gzip
import json
import os
import random
import sys

curated, work = sys.argv[1], sys.argv[2]
docs = []
for path in sorted(glob.glob(os.path.join(curated, "*.jsonl.gz"))):
    with gzip.open(path, "rt") as f:
        docs += [json.loads(line) for line in f]
if len(docs) < 200:
    sys.exit(f"make_data.py: only {len(docs)} documents in {curated}; expected the demo crawl's")
rng = random.Random(11)
rng.shuffle(docs)
# Probed documents are long enough for a prefix of about 300 characters and a continuation.
probe = [d for d in docs if len(d["text"]) >= 600][:60]
rest = [d for d in docs if d not in probe]
groups = {"repeated": probe[:20], "once": probe[20:40], "unseen": probe[40:60]}
os.makedirs(work, exist_ok=True)
# One text file a document (the text dataset reads each as one), in a shuffled order.
lines = rest + groups["once"] + groups["repeated"] * 30
rng.shuffle(lines)
for split, members in (("train", lines), ("val", groups["unseen"])):
    folder = os.path.join(work, split)
    os.makedirs(folder, exist_ok=True)
    for old in glob.glob(os.path.join(folder, "*.txt")):
        os.remove(old)
    for i, d in enumerate(members):
        with open(os.path.join(folder, f"{i:05d}.txt"), "w") as f:
            f.write(d["text"])
with open(os.path.join(work, "probe.jsonl"), "w") as f:
    for group, members in groups.items():
        for d in members:
            # Cut before the space nearest under 300 characters, so that the prompt's last
            # token is one the document's own tokenization has too.
            cut = d["text"].rfind(" ", 0, 300)
            f.write(json.dumps({"group": group, "id": d["id"], "prompt": d["text"][:cut],
                                "truth": d["text"][cut:]}) + "\n")
print(f"{len(lines)} training documents ({len(rest) + 20} once, 20 x 30), 20 held out")
