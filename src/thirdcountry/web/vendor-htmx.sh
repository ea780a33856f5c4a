#!/usr/bin/env bash
# Vendor htmx into the static files from the npm registry (no CDN at run time).
# Run from anywhere; it rewrites static/web/htmx.min.js, which is committed:
#   bash src/thirdcountry/web/vendor-htmx.sh [VERSION]      (default: the latest 2.x)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version="${1:-2}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "htmx.org@$version" > name.txt && tar -xzf "$(cat name.txt)")
cp "$work/package/dist/htmx.min.js" "$here/static/web/htmx.min.js"
echo "vendored $(cat "$work/name.txt") into static/web/htmx.min.js"
