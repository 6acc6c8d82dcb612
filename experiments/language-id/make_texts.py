#!/usr/bin/env python3
"""Builds language-identification test texts from Debian's fortune packages.

Each document concatenates fortunes of one language (taken in a seeded random order, joined by
newlines) until it reaches --min-chars characters. Output: JSON lines
{"lang": "de", "min_chars": 200, "text": "..."}. With --mixed N it also writes N documents per
share s in 0.1, 0.3, 0.5, 0.7, 0.9 that start with about 400 * s characters of one language and
go on in another: {"lang": "de", "other": "en", "share": 0.3, "text": "..."}.

  python3 make_texts.py --min-chars 50,100,200,500 --per-language 300 --mixed 200 > texts.jsonl

Packages (install with apt-get): fortunes fortunes-de fortunes-es fortunes-it fortunes-cs
fortunes-ru fortunes-pl fortunes-br fortunes-zh fortunes-bg fortunes-ga fortunes-eo. Missing
packages are skipped with a note on stderr. Files are found with `dpkg -L`, so a package's files
count for its language wherever they are installed; Slovak files inside fortunes-cs (*-sk) are
labelled sk.
"""
import argparse
import hashlib
import json
import os
import random
import subprocess
import sys

PACKAGES = {
    "en": ["fortunes", "fortunes-min"],
    "de": ["fortunes-de"],
    "es": ["fortunes-es"],
    "it": ["fortunes-it"],
    "cs": ["fortunes-cs"],
    "ru": ["fortunes-ru"],
    "pl": ["fortunes-pl"],
    "pt": ["fortunes-br"],
    "zh": ["fortunes-zh"],
    "bg": ["fortunes-bg"],
    "ga": ["fortunes-ga"],
    "eo": ["fortunes-eo"],
}


def package_files(package):
    try:
        listing = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True,
                                 check=True).stdout.split("\n")
    except (subprocess.CalledProcessError, FileNotFoundError):
        return None
    return [f for f in listing if "/fortunes/" in f and not f.endswith(".dat")]


def read_utf8(path):
    """The file's text, or None when it is not a UTF-8 regular file."""
    real = os.path.realpath(path)
    if not os.path.isfile(real):
        return None
    try:
        with open(real, "rb") as f:
            return f.read().decode("utf-8")
    except UnicodeDecodeError:
        return None


def fortunes(text):
    """Entries of a strfile source: blocks between lines holding only '%'."""
    entry, out = [], []
    for line in text.split("\n"):
        if line.strip() == "%":
            out.append("\n".join(entry).strip())
            entry = []
        else:
            entry.append(line)
    out.append("\n".join(entry).strip())
    return [e for e in out if e]


def mostly_letters(entry):
    # ASCII art and tables are not text in any language.
    visible = [c for c in entry if not c.isspace()]
    return visible and sum(c.isalpha() for c in visible) >= 0.5 * len(visible)


def collect(lang, packages):
    seen, entries = set(), []
    for package in packages:
        files = package_files(package)
        if files is None:
            print(f"skipping {package}: not installed", file=sys.stderr)
            continue
        for path in sorted(files):
            name = os.path.basename(path)
            label = "sk" if lang == "cs" and "-sk" in name else lang
            text = read_utf8(path)
            if text is None:
                continue
            digest = hashlib.sha1(text.encode()).hexdigest()
            if digest in seen:  # X and X.u8 often hold the same text
                continue
            seen.add(digest)
            entries += [(label, e) for e in fortunes(text) if mostly_letters(e)]
    return entries


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--min-chars", default="200",
                        help="comma-separated minimum document lengths in characters")
    parser.add_argument("--per-language", type=int, default=300,
                        help="documents per language and length at most")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mixed", type=int, default=0,
                        help="two-language documents per share (0: none)")
    args = parser.parse_args()
    by_label = {}
    for lang, packages in PACKAGES.items():
        for label, entry in collect(lang, packages):
            by_label.setdefault(label, []).append(entry)
    for min_chars in (int(x) for x in args.min_chars.split(",")):
        for label in sorted(by_label):
            pool = list(by_label[label])
            random.Random(f"{args.seed}-{label}-{min_chars}").shuffle(pool)
            made, current = 0, []
            for entry in pool:
                current.append(entry)
                text = "\n".join(current)
                if len(text) >= min_chars:
                    print(json.dumps({"lang": label, "min_chars": min_chars, "text": text},
                                     ensure_ascii=False))
                    made, current = made + 1, []
                    if made == args.per_language:
                        break
            print(f"{label} min_chars={min_chars}: {made} documents from {len(pool)} fortunes",
                  file=sys.stderr)
    write_mixed(by_label, args.mixed, args.seed)


def take(pool, rng, chars):
    """Random fortunes from `pool` joined, cut at the last space before `chars` characters."""
    out = []
    while len("\n".join(out)) < chars:
        out.append(rng.choice(pool))
    text = "\n".join(out)[:int(chars)]
    cut = max(text.rfind(" "), text.rfind("\n"))
    return text[:cut] if cut > 0 else text


def write_mixed(by_label, count, seed):
    labels = sorted(label for label, pool in by_label.items() if len(pool) >= 1000)
    rng = random.Random(f"{seed}-mixed")
    for share in (0.1, 0.3, 0.5, 0.7, 0.9):
        for _ in range(count):
            first, other = rng.sample(labels, 2)
            head = take(by_label[first], rng, 400 * share)
            tail = take(by_label[other], rng, 400 * (1 - share))
            print(json.dumps({"lang": first, "other": other, "share": share,
                              "text": head + "\n" + tail}, ensure_ascii=False))


if __name__ == "__main__":
    main()
