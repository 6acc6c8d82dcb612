#!/usr/bin/env bash
# Builds an English text corpus from Debian (main) packages only, for tokenizer benchmarks:
#   scripts/data/english-corpus.sh [OUTDIR]          (default: data/english in the repository)
# Writes OUTDIR/english-100M.txt (training, >= 100 MiB), OUTDIR/heldout.txt (>= 2 MB, from
# source files that training never sees) and OUTDIR/manifest.tsv (split, source, path, bytes of
# every document). Documents are plain UTF-8, LF line ends, each followed by one blank line.
# Sources: prose commentaries (SWORD modules), handbooks and manuals (HTML rendered with w3m),
# reStructuredText docs (Linux kernel, Python), Perl pods (pod2text), man pages (man -l),
# dictionaries (dictd), fortunes. Held out: every document of a multi-file source whose path
# hashes to 0 mod 29. Training takes documents in the fixed source order below until 100 MiB.
# Idempotent: skips the work when the outputs exist and are newer than this script.
# Installs the packages it needs (sudo unless root). Takes about 80 s on 2 cores (after apt).
# shellcheck disable=SC2016  # the single-quoted commands expand $FILE later, in render()
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=${1:-$repo/data/english}
readonly kTrainBytes=$((100 * 1024 * 1024))
PACKAGES=(
  linux-source-6.1 python3.11-doc perl-doc postgresql-doc-15 gimp-help-en debian-handbook
  debian-reference-en sqlite3-doc git-doc manpages manpages-dev dict-gcide dict-foldoc
  dict-jargon dict-devil sword-comm-tdavid sword-comm-scofield sword-text-web libsword-utils
  fortunes fortunes-min w3m man-db groff-base bsdextrautils python3 xz-utils perl
)

start=$SECONDS
say() { echo "english-corpus.sh: [$((SECONDS - start))s] $*" >&2; }

if [[ -s $out/english-100M.txt && -s $out/heldout.txt && -s $out/manifest.tsv &&
  $out/manifest.tsv -nt ${BASH_SOURCE[0]} ]]; then
  say "$out is up to date"
  ls -l "$out/english-100M.txt" "$out/heldout.txt" >&2
  exit 0
fi

missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  say "installing: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

mkdir -p "$out"
work=$(mktemp -d "$out/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT
raw=$work/raw # raw/<source>/<path>.txt: one document per file, before normalisation
jobs=$(nproc)

# Renders each file named on stdin (NUL-separated) with CMD, into raw/SOURCE/ under its path
# relative to ROOT.
render() {
  local source=$1 root=$2 cmd=$3
  mkdir -p "$raw/$source"
  SOURCE_DIR=$raw/$source ROOT=$root CMD=$cmd xargs -0 -r -P "$jobs" -n 16 bash -c '
    for f in "$@"; do
      rel=${f#"$ROOT"/}
      dest=$SOURCE_DIR/${rel//\//__}.txt
      FILE=$f bash -c "$CMD" >"$dest" 2>/dev/null || rm -f "$dest"
    done' _
}
html='w3m -dump -cols 100 -O UTF-8 -T text/html "$FILE"'
man='MANWIDTH=100 man -E UTF-8 --no-hyphenation --no-justification -l "$FILE" | col -bx'

say "SWORD modules (Treasury of David, Scofield notes, World English Bible)"
mkdir -p "$raw/sword"
for module in TDavid Scofield engWEB2015eb; do
  mod2imp "$module" >"$work/$module.imp" 2>/dev/null
done
python3 - "$work" "$raw/sword" <<'EOF'
import html, re, sys
work, dest = sys.argv[1:]
for module, sep in (("TDavid", "\n\n"), ("Scofield", "\n\n"), ("engWEB2015eb", "\n")):
    text = open(f"{work}/{module}.imp", encoding="utf-8", errors="replace").read()
    seen, parts = set(), []
    for entry in text.split("\n$$$")[1:]:  # "$$$key" line, then the entry's OSIS markup
        body = entry.partition("\n")[2]
        body = re.sub(r"<note\b.*?</note>", " ", body, flags=re.S)  # footnotes, cross-refs
        body = re.sub(r"<title\b[^>]*>(.*?)</title>", r"\n\1\n", body, flags=re.S)
        body = re.sub(r'<div [^>]*type="x-p"[^>]*/>', "\n", body)  # paragraph milestones
        body = html.unescape(re.sub(r"<[^>]*>", "", body))
        body = "\n".join(re.sub(r"[ \t]+", " ", line).strip() for line in body.split("\n"))
        body = re.sub(r"\n{2,}", "\n\n", body).strip()
        if body and body not in seen:  # linked entries repeat the same text
            seen.add(body)
            parts.append(body)
    open(f"{dest}/{module}.txt", "w", encoding="utf-8").write(sep.join(parts) + "\n")
EOF

say "Debian handbook, Debian reference, PostgreSQL, GIMP, SQLite (HTML via w3m)"
find /usr/share/doc/debian-handbook/html/en-US -name '*.html' -print0 |
  render handbook /usr/share/doc/debian-handbook/html/en-US "$html"
mkdir -p "$raw/debian-reference"
zcat /usr/share/debian-reference/debian-reference.en.txt.gz >"$raw/debian-reference/debian-reference.en.txt"
find /usr/share/doc/postgresql-doc-15/html -name '*.html' -print0 |
  render postgresql /usr/share/doc/postgresql-doc-15/html "$html"
find /usr/share/gimp/2.0/help/en -name '*.html' -print0 | render gimp /usr/share/gimp/2.0/help/en "$html"
find /usr/share/doc/sqlite3 -name '*.html' -print0 | render sqlite /usr/share/doc/sqlite3 "$html"

say "Python and Linux kernel documentation (reStructuredText)"
find /usr/share/doc/python3.11/html/_sources -name '*.rst.txt' -print0 |
  render python /usr/share/doc/python3.11/html/_sources 'cat "$FILE"'
tar -xJf /usr/src/linux-source-6.1.tar.xz -C "$work" --wildcards 'linux-source-6.1/Documentation/*'
kdoc=$work/linux-source-6.1/Documentation
find "$kdoc" -path "$kdoc/translations" -prune -o -type f \( -name '*.rst' -o -name '*.txt' \) \
  -print0 | render kernel "$kdoc" 'cat "$FILE"'

say "Perl pods, git docs, man pages"
find /usr/share/perl/5.36.0/pod -name '*.pod' -print0 |
  render perl /usr/share/perl/5.36.0/pod 'pod2text --width=100 "$FILE"'
find /usr/share/doc/git -name '*.txt' -print0 | render git /usr/share/doc/git 'cat "$FILE"'
# Real pages only: no symlinks, no one-line ".so other-page" redirects.
dpkg -L manpages manpages-dev | grep -E '^/usr/share/man/man[1-9]/' | while read -r page; do
  if [[ -f $page && ! -L $page && $(zcat -f "$page" | head -c 3) != .so ]]; then
    printf '%s\0' "$page"
  fi
done | render man /usr/share/man "$man"

say "dictionaries (dictd) and fortunes"
mkdir -p "$raw/dict" "$raw/fortunes"
for dict in foldoc jargon devil gcide; do
  # Drop the 00-database-* header entries and gcide's "[1913 Webster]"-style source tags.
  zcat "/usr/share/dictd/$dict.dict.dz" | awk '
    /^00-?database/ { skip = 1; next }
    skip && /^[^ \t]/ { skip = 0 }
    skip { next }
    /^[ \t]*\[(1913 Webster|PJC|WordNet[^]]*|Century Dict\.|Webster 1913 Suppl\.)\][ \t]*$/ { next }
    { print }' >"$raw/dict/$dict.txt"
done
dpkg -L fortunes fortunes-min | grep -E '^/usr/share/games/fortunes/[^.]+$' | sort -u |
  while read -r f; do if [[ -f $f && ! -L $f ]]; then printf '%s\0' "$f"; fi; done |
  render fortunes /usr/share/games/fortunes 'sed "s/^%$//" "$FILE" | col -bx'

say "normalising, holding out, writing"
python3 - "$raw" "$work" "$kTrainBytes" <<'EOF'
import hashlib, os, re, sys
raw, work, train_bytes = sys.argv[1], sys.argv[2], int(sys.argv[3])
# Most prose-like first; training takes whole documents in this order until train_bytes.
ORDER = ["sword", "handbook", "debian-reference", "python", "postgresql", "gimp", "kernel",
         "perl", "git", "sqlite", "man", "fortunes", "dict"]
CHUNK = 1 << 20  # single big files (dictionaries, commentaries) become ~1 MiB documents
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
RULE = re.compile(r"^[\s\u2500-\u257f]*[\u2500-\u257f][\s\u2500-\u257f]*$")  # w3m's rules
# w3m draws table borders with box-drawing characters; keep tables, in ASCII.
BOX = {c: "-" for c in "\u2500\u2501\u2504\u2505\u2508\u2509\u254c\u254d\u2550"}
BOX.update({c: "|" for c in "\u2502\u2503\u2506\u2507\u250a\u250b\u254e\u254f\u2551"})
BOX = str.maketrans({**{chr(c): "+" for c in range(0x2500, 0x2580)}, **BOX, "\xa0": " "})

def normalise(data):
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")  # a few old man pages and fortunes
    text = CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n"))
    lines = (line for line in text.split("\n") if not RULE.match(line))
    text = "\n".join(line.translate(BOX).rstrip() for line in lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")

def chunks(text):
    while len(text) > CHUNK * 3 // 2:
        cut = text.rfind("\n\n", 0, CHUNK)
        cut = cut if cut > 0 else CHUNK
        yield text[:cut].strip("\n")
        text = text[cut:].lstrip("\n")
    yield text

train, held, unused = [], [], []
for source in ORDER:
    names = sorted(os.listdir(os.path.join(raw, source)))
    multi = len(names) >= 50
    for name in names:
        text = normalise(open(os.path.join(raw, source, name), "rb").read())
        if len(text.encode()) < 200:
            continue
        path = name[:-4].replace("__", "/")
        pieces = [text] if multi else list(chunks(text))
        for i, piece in enumerate(pieces):
            doc = (source, path if len(pieces) == 1 else f"{path}#{i}", piece + "\n\n")
            digest = int.from_bytes(hashlib.sha256(f"{source}/{path}".encode()).digest()[:8], "big")
            if multi and digest % 29 == 0:
                held.append(doc)
            else:
                train.append(doc)

def write(docs, file):
    with open(file, "w", encoding="utf-8", newline="\n") as f:
        for _, _, text in docs:
            f.write(text)

total, used = 0, []
for doc in train:
    if total >= train_bytes:
        unused.append(doc)
        continue
    used.append(doc)
    total += len(doc[2].encode())
write(used, f"{work}/english-100M.txt")
write(held, f"{work}/heldout.txt")
with open(f"{work}/manifest.tsv", "w", encoding="utf-8") as f:
    f.write("split\tsource\tpath\tbytes\n")
    for split, docs in (("train", used), ("heldout", held), ("unused", unused)):
        for source, path, text in docs:
            f.write(f"{split}\t{source}\t{path}\t{len(text.encode())}\n")
sizes = {}
for split, docs in (("train", used), ("heldout", held), ("unused", unused)):
    for source, _, text in docs:
        sizes.setdefault(source, {}).setdefault(split, 0)
        sizes[source][split] += len(text.encode())
for source in ORDER:
    if source in sizes:
        print(f"  {source:17}" + "  ".join(f"{k} {v / 1e6:7.2f} MB" for k, v in sizes[source].items()),
              file=sys.stderr)
if total < train_bytes:
    sys.exit(f"english-corpus.sh: only {total} bytes of training text, wanted {train_bytes}")
EOF

for file in english-100M.txt heldout.txt manifest.tsv; do mv -f "$work/$file" "$out/$file"; done
say "wrote $out/english-100M.txt ($(stat -c %s "$out/english-100M.txt") bytes)," \
  "$out/heldout.txt ($(stat -c %s "$out/heldout.txt") bytes), $out/manifest.tsv"
