#!/usr/bin/env bash
# Every bench script, once per PostgreSQL given, in one run on this machine:
# the tables of one major next to the other's are what bench/README.md
# compares.  Each PG_CONFIG must be one whose peers the scripts can get (see
# bench_peer_extension in bench/lib.sh).
#   bash bench/all.sh [PG_CONFIG...]   (default: the harness's PG_CONFIG)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[ $# -gt 0 ] || set -- "${PG_CONFIG:-}"

for script in local_query mysql starrocks postgres sync migrate diff mirror; do
	for pgc in "$@"; do
		echo "### $script.sh, $("${pgc:-pg_config}" --version 2>/dev/null || echo PostgreSQL)"
		echo
		PG_CONFIG=$pgc bash "$here/$script.sh"
		echo
	done
done
