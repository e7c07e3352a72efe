#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks for `make demo` and `make test`: the C libraries the
# build links (libpq, libcurl, zlib), a PostgreSQL 15 server for the throwaway warehouse, and
# python3 for the Odoo simulator. Run by the Makefile before building; does nothing when all is here.
set -euo pipefail

need=()
[ -f /usr/include/postgresql/libpq-fe.h ] || need+=(libpq-dev)
[ -f /usr/include/x86_64-linux-gnu/curl/curl.h ] || [ -f /usr/include/aarch64-linux-gnu/curl/curl.h ] \
  || [ -f /usr/include/curl/curl.h ] || need+=(libcurl4-openssl-dev)
[ -f /usr/include/zlib.h ] || need+=(zlib1g-dev)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql-15)
command -v psql >/dev/null || need+=(postgresql-client-15)
command -v python3 >/dev/null || need+=(python3)
[ ${#need[@]} -eq 0 ] && exit 0

echo "odoo-etl: installing Debian packages this machine lacks: ${need[*]}"
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null; then
    echo "odoo-etl: not root and no sudo; install as root: apt-get install ${need[*]}" >&2
    exit 1
  fi
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq "${need[@]}"
