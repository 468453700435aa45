#!/usr/bin/env bash
# Refresh the vendored front-end assets from the npm registry (run by hand when upgrading;
# the result is committed so that nothing is fetched at run time).
set -euo pipefail
cd "$(dirname "$0")/.."
BOOTSTRAP_VERSION=${BOOTSTRAP_VERSION:-5.3.9}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "bootstrap@${BOOTSTRAP_VERSION}" >/dev/null && tar xzf bootstrap-*.tgz)
dest=static/vendor/bootstrap
rm -rf "$dest" && mkdir -p "$dest/css" "$dest/js"
cp "$tmp/package/dist/css/bootstrap.min.css" "$tmp/package/dist/css/bootstrap.min.css.map" "$dest/css/"
cp "$tmp/package/dist/js/bootstrap.bundle.min.js" "$tmp/package/dist/js/bootstrap.bundle.min.js.map" "$dest/js/"
cp "$tmp/package/LICENSE" "$dest/LICENSE"
echo "bootstrap ${BOOTSTRAP_VERSION} (npm)" > "$dest/VERSION"
echo "vendored bootstrap ${BOOTSTRAP_VERSION} into $dest"
