#!/usr/bin/env bash
# Packs Debian's documentation HTML into WARC files under the pages' canonical URLs, as a crawl
# would have fetched them: a demo corpus for the data-curation pipeline (recipes/data/fineweb.yaml).
#   scripts/data/warc-demo.sh [OUTPUT]      (default: data/warc-demo in the repository)
# Writes OUTPUT/{python,postgresql,handbook}.warc.gz, one gzip member per record (a warcinfo
# record, then one HTTP response record per page), byte-for-byte the same on every run (record
# ids and dates come from the files). Installs python3.11-doc, postgresql-doc-15 and
# debian-handbook when they are missing (sudo unless root). Skips the work when OUTPUT is
# complete.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=${1:-$repo/data/warc-demo}
readonly kPackages=(python3.11-doc postgresql-doc-15 debian-handbook)
# name, folder of pages, URL prefix the folder is served under.
readonly kSources=(
  "python|/usr/share/doc/python3.11/html|https://docs.python.org/3.11"
  "postgresql|/usr/share/doc/postgresql-doc-15/html|https://www.postgresql.org/docs/15"
  "handbook|/usr/share/doc/debian-handbook/html/en-US|https://debian-handbook.info/browse/en-US/stable"
)

if [[ -f $out/.complete ]]; then
  echo "warc-demo.sh: $out is up to date" >&2
  exit 0
fi

missing=()
for package in "${kPackages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  echo "warc-demo.sh: installing ${missing[*]}" >&2
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

mkdir -p "$out"
work=$(mktemp -d "$out/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT

# A record id that depends on the URL alone, so reruns write the same bytes.
record_id() {
  local hex
  hex=$(printf '%s' "$1" | sha1sum | cut -c1-32)
  echo "<urn:uuid:${hex:0:8}-${hex:8:4}-${hex:12:4}-${hex:16:4}-${hex:20:12}>"
}

# Appends one gzip-compressed WARC record: $1 file, $2 type, $3 URL (or ""), $4 date, $5 the
# content type of the block, $6 the block (a file).
append_record() {
  local length
  length=$(stat -c %s "$6")
  {
    printf 'WARC/1.0\r\nWARC-Type: %s\r\nWARC-Record-ID: %s\r\nWARC-Date: %s\r\n' "$2" "$(record_id "$2 $3")" "$4"
    [[ -n $3 ]] && printf 'WARC-Target-URI: %s\r\n' "$3"
    printf 'Content-Type: %s\r\nContent-Length: %s\r\n\r\n' "$5" "$length"
    cat "$6"
    printf '\r\n\r\n'
  } | gzip -n -6 >>"$1"
}

for source in "${kSources[@]}"; do
  IFS='|' read -r name folder prefix <<<"$source"
  warc=$work/$name.warc.gz
  printf 'software: forge scripts/data/warc-demo.sh\r\nformat: WARC File Format 1.0\r\nsource: %s\r\n' "$folder" >"$work/info"
  append_record "$warc" warcinfo "" "2026-01-01T00:00:00Z" "application/warc-fields" "$work/info"
  count=0
  while IFS= read -r -d '' page; do
    relative=${page#"$folder"/}
    date=$(date -u -d "@$(stat -c %Y "$page")" +%Y-%m-%dT%H:%M:%SZ)
    {
      printf 'HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %s\r\n\r\n' "$(stat -c %s "$page")"
      cat "$page"
    } >"$work/block"
    append_record "$warc" response "$prefix/$relative" "$date" "application/http; msgtype=response" "$work/block"
    count=$((count + 1))
  done < <(find "$folder" -name '*.html' -type f -print0 | sort -z)
  mv -f "$warc" "$out/$name.warc.gz"
  echo "warc-demo.sh: $out/$name.warc.gz: $count pages under $prefix" >&2
done
touch "$out/.complete"
