#!/usr/bin/env bash
# The reliability run: the fault, load, fuzz and secret tests against
# throwaway servers, summed into one table (docs/testing.md carries the latest).
#   bash test/reliability.sh            # suite lengths
#   bash test/reliability.sh --full     # pgbench 60 s, fuzzers 60 s
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$DS_ROOT"
if [ "${1:-}" = --full ]; then
	export DS_LOAD_SECONDS=60 DS_FUZZ_SECONDS=60
fi
tests=(faults mysql_cancel mysql_connect_timeout mysql_server_restart mysql_stalled_load
	starrocks_cancel starrocks_txn_kill pg_remote_cancel pg_remote_restart load mysql_load_memory starrocks_memory sync_memory fuzz secrets corpus
	privilege_escalation hostile_mysql hostile_pg hostile_http)

ds_install_deps
ds_build
trap ds_stop_servers EXIT
ds_start_servers
. "$DS_ENV"

passed=0
failed=0
ds_run_shell_tests "${tests[@]}"
sum() { cat "$DS_TMP"/*.log | awk -v k="$1" -v f="$2" '$1 == "reliability:" && $2 == k {s += $f} END {print s + 0}'; }
echo
echo "| reliability run, $(date -u +%Y-%m-%d) | tried | held |"
echo "|---|---:|---:|"
echo "| faults injected / survived (server stopped, frozen, restarted; cancel, terminate, timeouts) | $(sum faults 3) | $(sum faults 4) |"
echo "| hostile inputs tried / handled cleanly (fuzzed rows, answers and params; failure paths without a password) | $(sum hostile 3) | $(sum hostile 4) |"
echo "| privilege escalations tried / refused (an admin or a grantee acting as a superuser: replaced, re-pointed or granted stores, sockets, password-less logins, server files) | $(sum escalation 3) | $(sum escalation 4) |"
echo "| hostile server answers tried / handled (lying MySQL, PostgreSQL and StarRocks HTTP servers: wrong shapes, NULLs, cut links, endless bodies, redirects, smuggled headers) | $(sum answers 3) | $(sum answers 4) |"
echo "| rows sent / rows landed | $(sum rows 3) | $(sum rows 4) |"
echo "| connections leaked (remote sessions left behind) | | $(sum leaked 3) |"
trap - EXIT
ds_stop_servers
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
