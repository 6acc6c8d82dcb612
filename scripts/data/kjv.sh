#!/usr/bin/env bash
# Writes the King James Bible as plain text for the quick-start corpus:
#   scripts/data/kjv.sh [OUTPUT]      (default: data/kjv in the repository)
# One file per book (OUTPUT/train/01-genesis.txt ...), chapters separated by blank lines, one
# verse per line without its number. Revelation is held out in OUTPUT/val/.
# Reads Debian's `bible` program (package bible-kjv); scripts/dev.sh installs it. Skips the work
# when OUTPUT is complete and newer than the package's text.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=${1:-$repo/data/kjv}
readonly kBibleData=/usr/lib/bible.data  # bible-kjv-text's text
readonly kBooks=66
stamp=$out/.complete

if ! command -v bible >/dev/null 2>&1; then
  echo "kjv.sh: the 'bible' program is missing; install the Debian package bible-kjv" \
    "(scripts/dev.sh installs it, or: sudo apt-get install bible-kjv)" >&2
  exit 1
fi

# Complete: the stamp written last, newer than the text, and every book in place.
if [[ -f $stamp && (! -e $kBibleData || $stamp -nt $kBibleData) ]]; then
  shopt -s nullglob
  books=("$out"/train/*.txt "$out"/val/*.txt)
  shopt -u nullglob
  if [[ ${#books[@]} -eq $kBooks ]]; then
    echo "kjv.sh: $out is up to date ($kBooks books)"
    exit 0
  fi
fi

mkdir -p "$out"
work=$(mktemp -d "$out/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/train" "$work/val"

# `bible -l0` prints "Book N" headings (N the chapter) and "  V text" verses, one per line.
bible -l0 Gen1:1-Rev22:21 | awk -v dir="$work/train" -v books="$kBooks" '
  function fail(message) { print "kjv.sh: " message > "/dev/stderr"; failed = 1; exit 1 }
  /^$/ { next }
  /^[^ ].* [0-9]+$/ {
    book = $0
    sub(/ [0-9]+$/, "", book)
    if (book != current) {
      if (file != "") close(file)
      current = book
      count++
      slug = tolower(book)
      gsub(/[^a-z0-9]+/, "-", slug)
      file = sprintf("%s/%02d-%s.txt", dir, count, slug)
      first = 1
    } else {
      first = 0
    }
    if (!first) print "" > file
    next
  }
  /^ +[0-9]+ / {
    if (file == "") fail("a verse before any heading: " $0)
    verse = $0
    sub(/^ +[0-9]+ /, "", verse)
    print verse > file
    next
  }
  { fail("unexpected line from bible: " $0) }
  END {
    if (failed) exit 1
    if (count != books) fail("found " count " books, expected " books)
  }'

# The last book (Revelation) is the held-out split; zero-padded numbers sort in canon order.
last=$(find "$work/train" -name '*.txt' -printf '%f\n' | sort | tail -n 1)
mv "$work/train/$last" "$work/val/"
rm -rf "$out/train" "$out/val" "$stamp"
mv "$work/train" "$work/val" "$out/"
touch "$stamp"
echo "kjv.sh: wrote $kBooks books to $out ($(du -sh "$out" | cut -f1))"
