#!/usr/bin/env bash
# The main job: install what is missing, build, start throwaway servers
# (PostgreSQL, MariaDB, and the StarRocks emulator in front of MariaDB), and
# run test/demo.sql, which syncs data between the three kinds of store.
# Everything is stopped and removed at the end.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ds_install_deps
ds_build
trap ds_stop_servers EXIT
ds_start_servers
. "$DS_ENV"
psql -Xq -d postgres -c "CREATE DATABASE demo"
ds_log "running test/demo.sql"
psql -X -d demo -v ON_ERROR_STOP=0 -v my_port="$DS_MYSQL_PORT" -v my_user="$DS_MYSQL_USER" \
	-v my_password="$DS_MYSQL_PASSWORD" -v my_db="$DS_MYSQL_DATABASE" \
	-v sr_port="$DS_SR_MYSQL_PORT" -v sr_http_port="$DS_SR_FE_PORT" -v sr_db="$DS_SR_DATABASE" \
	-v pg2_host="$DS_PG2_HOST" -v pg2_port="$DS_PG2_PORT" -v pg2_user="$DS_PG2_USER" \
	-v pg2_password="$DS_PG2_PASSWORD" -v pg2_db="$DS_PG2_DATABASE" \
	-f "$DS_ROOT/test/demo.sql" 2>&1
