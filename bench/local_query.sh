#!/usr/bin/env bash
# ds_query on the local store against to_jsonb() over the same rows, in one
# run on one throwaway cluster.  Prints a markdown table of medians and
# ratios; bench/README.md carries the latest one.
#   bash bench/local_query.sh [rows] [repetitions]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rows=${1:-1000000}
reps=${2:-7}

ds_install_deps
ds_build
trap ds_stop_servers EXIT
ds_start_servers pg-only
bench_db
q "SELECT ds_register('local', 'postgres')" >/dev/null

echo
echo "| $rows rows, median of $reps runs | to_jsonb ms | ds_query ms | ratio |"
echo "|---|---:|---:|---:|"
bench_case() {
	# count(x), not count(*), so that the planner cannot skip building x.
	psql -XAt -d bench -v src="$2" -v reps="$reps" -v label="$1" <<-'SQL'
		SELECT bench_ms(format('SELECT count(j) FROM (SELECT to_jsonb(s) AS j FROM (%s) s) x', :'src'), :reps) AS base \gset
		SELECT bench_ms(format('SELECT count(r) FROM ds_query(''local'', %L) r', :'src'), :reps) AS ds \gset
		SELECT format('| %s | %s | %s | %s |', :'label', :base, :ds, round(:ds / :base, 2));
	SQL
}
bench_case "int, text" "SELECT g, g::text t FROM generate_series(1, $rows) g"
bench_case "int, text, numeric, timestamptz" \
	"SELECT g, g::text AS t, g * 1.5 AS n, now() AS ts FROM generate_series(1, $rows) g"
echo
echo "$(bench_machine), PostgreSQL $(q 'SHOW server_version')"
