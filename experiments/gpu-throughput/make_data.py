"""Writes the experiment's training data: one forge token shard of synthetic GPT-2 ids, and a
batch file of windows for the same-weights check.

The text is made of 512 fixed "phrases" (8 to 64 ids drawn from a Zipf-like distribution over
the GPT-2 vocabulary), chained at random into documents of 500 to 3000 ids, each ended by
<|endoftext|> (50256). Phrases repeat, so a model's loss falls well below ln(50257) within a
few dozen steps; ids are spread over the whole vocabulary, so the embedding and the head see
real traffic.

    python3 make_data.py OUT_DIR [--tokens N] [--seed S] [--rows R] [--seq T]

writes OUT_DIR/train/shard-000000.bin and OUT_DIR/batch.i32 (R windows of T + 1 ids, int32).
"""

import argparse
import os

import numpy as np

VOCAB, END_OF_TEXT = 50257, 50256


def write_shard(path, tokens):
    header = np.zeros(64, dtype=np.uint8)
    header[:8] = np.frombuffer(b"FRGTOKS\0", dtype=np.uint8)
    header[8:16] = np.array([1, 2], dtype="<u4").view(np.uint8)
    header[16:24] = np.array([len(tokens)], dtype="<u8").view(np.uint8)
    header[24:32] = np.array([END_OF_TEXT, VOCAB], dtype="<u4").view(np.uint8)
    with open(path + ".tmp", "wb") as f:
        f.write(header.tobytes())
        f.write(tokens.astype("<u2").tobytes())
    os.replace(path + ".tmp", path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--tokens", type=int, default=8_000_000)
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--rows", type=int, default=4)
    parser.add_argument("--seq", type=int, default=1024)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    ranks = np.arange(1, END_OF_TEXT + 1, dtype=np.float64)
    weights = 1.0 / ranks**1.1
    weights /= weights.sum()
    order = rng.permutation(END_OF_TEXT)  # which ids are common is itself random
    phrases = [order[rng.choice(END_OF_TEXT, size=rng.integers(8, 65), p=weights)]
               for _ in range(512)]
    pieces, total = [], 0
    while total < args.tokens:
        length, doc = rng.integers(500, 3001), []
        while sum(len(p) for p in doc) < length:
            doc.append(phrases[rng.integers(len(phrases))])
        doc.append(np.array([END_OF_TEXT]))
        pieces.extend(doc)
        total += sum(len(p) for p in doc)
    tokens = np.concatenate(pieces)[: args.tokens].astype(np.int64)
    tokens[-1] = END_OF_TEXT  # a shard ends with a document's end
    os.makedirs(os.path.join(args.out, "train"), exist_ok=True)
    write_shard(os.path.join(args.out, "train", "shard-000000.bin"), tokens)
    # The check batch: windows from the end of the shard, which a short run barely reaches.
    span = args.rows * (args.seq + 1)
    tokens[-span:].astype("<i4").tofile(os.path.join(args.out, "batch.i32"))
    print(f"make_data: {len(tokens)} tokens in {args.out}/train, "
          f"{args.rows} x {args.seq + 1} ids in {args.out}/batch.i32")


if __name__ == "__main__":
    main()
