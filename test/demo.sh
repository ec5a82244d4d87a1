#!/usr/bin/env bash
# The main job: install what is missing, build, start throwaway servers, and
# run test/demo.sql against them.  Everything is stopped and removed at the end.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ds_install_deps
ds_build
trap ds_stop_servers EXIT
ds_start_servers
psql -Xq -d postgres -c "CREATE DATABASE demo"
ds_log "running test/demo.sql"
psql -X -d demo -v ON_ERROR_STOP=0 -f "$DS_ROOT/test/demo.sql" 2>&1
