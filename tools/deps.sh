#!/bin/sh
# tools/deps.sh - install the Debian packages smartplus needs, if missing.
# As root it runs apt-get; otherwise it prints the command to run.
set -e
PKGS="gcc make pkg-config libmicrohttpd-dev libjansson-dev libyajl-dev libsqlite3-dev liblz4-dev
libxxhash-dev libcurl4-openssl-dev libcmocka-dev libgsl-dev curl"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
    || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "smartplus: installing missing Debian packages:$missing" >&2
if [ "$(id -u)" = 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null || true
  apt-get install -y -q $missing >/dev/null
else
  echo "smartplus: run as root, or: sudo apt-get install -y$missing" >&2
  exit 1
fi
