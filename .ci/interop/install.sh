#!/usr/bin/env bash
# Installs every package in packages.txt in one apt transaction. Services do not auto-start here.
set -euo pipefail
cd "$(dirname "$0")"
export DEBIAN_FRONTEND=noninteractive
mapfile -t PKGS < <(grep -vE '^\s*(#|$)' packages.txt)
installed=$(dpkg-query -W -f='${Status}\n' "${PKGS[@]}" 2>/dev/null | grep -c 'install ok installed' || true)
if [ "$installed" -ne "${#PKGS[@]}" ]; then
  [ -f debconf.txt ] && debconf-set-selections < debconf.txt
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${PKGS[@]}" >/dev/null
fi
echo "interop: packages installed: ${PKGS[*]}"
