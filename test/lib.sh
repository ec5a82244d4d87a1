# Shared by test/run-tests.sh, test/demo.sh and bench/*.sh: install what is
# missing, build, and run throwaway servers under a temp dir on free,
# non-default loopback ports.  Servers are stopped by their own pid files,
# never by name, so a server the user already runs is never touched.
#
# Source it, then call the ds_* functions.  After ds_start_servers the file
# "$DS_TMP/env" holds the connection settings for child scripts.

DS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# PG_CONFIG picks the PostgreSQL to build against and to run the servers
# of (both clusters): by default the newest /usr/lib/postgresql/*/bin/pg_config
# present, else Debian 12's 15 (installed below).  A PostgreSQL built into a
# private prefix works the same: PG_CONFIG=/opt/pg18/bin/pg_config.
if [ -z "${PG_CONFIG:-}" ]; then
	PG_CONFIG=$(ls /usr/lib/postgresql/*/bin/pg_config 2>/dev/null | sort -V | tail -1)
	PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
fi
export PG_CONFIG
# Debian's packages of that major, when it is one of Debian's (PGDG's too).
case "$PG_CONFIG" in
/usr/lib/postgresql/*/bin/pg_config)
	DS_PG_MAJOR=${PG_CONFIG#/usr/lib/postgresql/}
	DS_PG_MAJOR=${DS_PG_MAJOR%%/*}
	DS_PG_PACKAGES=(postgresql-"$DS_PG_MAJOR" postgresql-server-dev-"$DS_PG_MAJOR" postgresql-contrib)
	;;
*) DS_PG_PACKAGES=() ;;
esac
DS_PACKAGES=(build-essential "${DS_PG_PACKAGES[@]}"
	mariadb-server mariadb-client libmariadb-dev libcurl4-openssl-dev curl python3 python3-pymysql
	openssl clang-14 libclang-rt-14-dev)
# The servers' binaries: PG_CONFIG's, once it exists (the packages may
# install it).  DS_PG_BIN and DS_DESTDIR let a run use a private copy of
# PostgreSQL's install tree (relocated: it finds its lib and share dirs
# beside bin), so that it neither touches nor waits for the shared one.
ds_pg_bin() {
	PG_BIN=${DS_PG_BIN:-$("$PG_CONFIG" --bindir 2>/dev/null || dirname "$PG_CONFIG")}
	# psql, pg_dump and pgbench of the same major as the servers.
	case ":$PATH:" in *":$PG_BIN:"*) ;; *) PATH="$PG_BIN:$PATH" ;; esac
	export PG_BIN PATH
}
ds_pg_bin

ds_log() { echo "== $*" >&2; }

# ds_detached CMD...: closes every descriptor above 2, then runs CMD in this
# shell's place.  Call it in a subshell, "(ds_detached ...)" or
# "ds_detached ... &": a server started this way does not keep the caller's
# pipes or locks (a flock(1) held around a test run, a $(...) being read)
# open for its whole life.  Redirect the subshell, "(ds_detached f) >x", not
# the call of a shell function: bash would restore the call's redirection
# from a saved descriptor that the loop below has closed.
ds_detached() {
	local fd keep
	# Quietly: the listing includes the descriptor that read it, gone by now.
	exec {keep}>&2 2>/dev/null
	for fd in /proc/$BASHPID/fd/*; do
		fd=${fd##*/}
		[ "$fd" -gt 2 ] && [ "$fd" != "$keep" ] && eval "exec $fd>&-"
	done
	exec 2>&"$keep" {keep}>&-
	if declare -F "$1" >/dev/null; then "$@"; else exec "$@"; fi
}

ds_is_root() { [ "$(id -u)" = 0 ]; }

# Runs a command as the OS user that owns the PostgreSQL cluster; initdb
# refuses to run as root.
ds_as_pg() {
	if ds_is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

# ds_install_deps [extra packages...]: apt-get install whatever is missing.
ds_install_deps() {
	local missing=() p
	for p in "${DS_PACKAGES[@]}" "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if ! ds_is_root; then
		echo "missing packages: ${missing[*]}; run as root or install them" >&2
		return 1
	fi
	ds_log "installing ${missing[*]}"
	apt-get update -qq >/dev/null
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null
}

ds_build() {
	ds_pg_bin
	ds_log "building and installing the extension for $("$PG_CONFIG" --version)"
	# PGXS does not know which PostgreSQL the objects were built for: a
	# build for another one starts clean (one major's module refuses to
	# load into another).
	if [ "$(cat "$DS_ROOT/.built-for" 2>/dev/null)" != "$PG_CONFIG" ]; then
		make -C "$DS_ROOT" -s PG_CONFIG="$PG_CONFIG" clean >/dev/null
		echo "$PG_CONFIG" >"$DS_ROOT/.built-for"
	fi
	make -C "$DS_ROOT" -s PG_CONFIG="$PG_CONFIG" >/dev/null
	make -C "$DS_ROOT" -s PG_CONFIG="$PG_CONFIG" ${DS_DESTDIR:+DESTDIR="$DS_DESTDIR"} install >/dev/null
}

# First port at or above $1 that no TCP socket uses as its local port (a
# listener, or a client connection that happens to hold it).
ds_free_port() {
	local p=$1
	# One awk, no pipe: with pipefail, grep -q closing a pipe early would
	# make a taken port look free.
	while awk -v want=":$(printf '%04X' "$p")" \
		'toupper(substr($2, length($2) - 4)) == want { found = 1; exit } END { exit !found }' \
		/proc/net/tcp /proc/net/tcp6 2>/dev/null; do
		p=$((p + 1))
	done
	echo "$p"
}

ds_start_pg() {
	local dir="$DS_TMP/pg"
	DS_PG_PORT=$(ds_free_port 54329)
	mkdir -p "$dir"
	ds_is_root && chown postgres:postgres "$dir"
	ds_as_pg "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 \
		--locale=C.UTF-8 >"$dir/initdb.log" 2>&1
	# Unix socket only, readable by its owner (and root): trust auth then
	# lets in nobody else.  datastore is preloaded, as ds_progress() needs
	# (DS_PG_PRELOAD= starts a cluster without it).
	(ds_detached ds_as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
		"-c port=$DS_PG_PORT -c listen_addresses='' -c unix_socket_directories='$dir' -c unix_socket_permissions=0700 -c fsync=off -c full_page_writes=off -c shared_preload_libraries='${DS_PG_PRELOAD-datastore}' ${DS_PG_OPTS:-}") \
		>/dev/null
	export PGHOST="$dir" PGPORT="$DS_PG_PORT" PGUSER=postgres PGDATABASE=postgres
}

# ds_pg2 [psql args...]: psql as superuser on the second cluster.
ds_pg2() {
	psql -X -h "$DS_TMP/pg2" -p "$DS_PG2_PORT" -U postgres -d "$DS_PG2_DATABASE" "$@"
}

# A second PostgreSQL cluster playing a remote server: TCP on 127.0.0.1 only
# (its superuser also on a Unix socket in its dir), scram passwords for the
# test users, TLS with the throwaway CA's certificate; ds_remote_tls may log
# in over TLS only.
ds_start_pg2() {
	local dir="$DS_TMP/pg2" attempt
	[ -f "$DS_TMP/tls/ca.pem" ] || ds_make_tls
	mkdir -p "$dir"
	cp "$DS_TMP/tls/server.pem" "$DS_TMP/tls/server.key" "$dir/"
	chmod 600 "$dir/server.key"
	ds_is_root && chown -R postgres:postgres "$dir"
	ds_as_pg "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth-local=trust \
		--auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
	# The first matching line wins: refuse ds_remote_tls without TLS.
	ds_as_pg sed -i '/^# TYPE/a hostnossl all ds_remote_tls 127.0.0.1/32 reject' "$dir/data/pg_hba.conf"
	DS_PG2_PORT=54339
	for attempt in 1 2 3 4 5; do
		DS_PG2_PORT=$(ds_free_port "$DS_PG2_PORT")
		(ds_detached ds_as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
			"-c port=$DS_PG2_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories='$dir' -c unix_socket_permissions=0700 -c fsync=off -c full_page_writes=off -c ssl=on -c ssl_cert_file='$dir/server.pem' -c ssl_key_file='$dir/server.key'") \
			>/dev/null 2>&1 && break
		[ "$attempt" = 5 ] && { cat "$dir/server.log" >&2; return 1; }
		DS_PG2_PORT=$((DS_PG2_PORT + 1))
	done
	DS_PG2_USER=ds_remote
	DS_PG2_PASSWORD="pg-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
	DS_PG2_DATABASE=remotedb
	psql -Xq -h "$dir" -p "$DS_PG2_PORT" -U postgres -d postgres >/dev/null <<-SQL
		CREATE ROLE $DS_PG2_USER LOGIN PASSWORD '$DS_PG2_PASSWORD';
		CREATE ROLE ds_remote_tls LOGIN PASSWORD '$DS_PG2_PASSWORD';
		CREATE DATABASE $DS_PG2_DATABASE OWNER $DS_PG2_USER;
	SQL
}

ds_stop_pg2() {
	if [ -f "$DS_TMP/pg2/data/postmaster.pid" ]; then
		ds_as_pg "$PG_BIN/pg_ctl" -D "$DS_TMP/pg2/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
	fi
}

# Starts mariadbd on an existing datadir under $DS_TMP/my; waits until up
# (and first until a ds_mariadb_down still under way has finished: mariadbd
# drops its pid file before it releases the datadir).
ds_mariadb_up() {
	local dir="$DS_TMP/my" user_opt=() i
	ds_is_root && user_opt=(--user=mysql)
	for i in $(seq 1 600); do [ -f "$dir/stopping" ] || break; sleep 0.1; done
	# A tmpdir of its own: mariadbd deletes every #sql* file in its tmpdir
	# when it starts, so with /tmp a test run starting up would remove the
	# temporary tables of another run's server.
	mkdir -p "$dir/tmp"
	ds_is_root && chown mysql:mysql "$dir/tmp"
	ds_detached /usr/sbin/mariadbd --no-defaults --datadir="$dir/data" "${user_opt[@]}" \
		--tmpdir="$dir/tmp" --port="$DS_MYSQL_PORT" --bind-address=127.0.0.1 --socket="$dir/mysql.sock" \
		--pid-file="$dir/mariadb.pid" --log-error="$dir/error.log" \
		--skip-name-resolve --local-infile=1 --character-set-server=utf8mb4 \
		--collation-server=utf8mb4_bin \
		--ssl-ca="$DS_TMP/tls/ca.pem" --ssl-cert="$DS_TMP/tls/server.pem" \
		--ssl-key="$DS_TMP/tls/server.key" >/dev/null 2>&1 &
	local server=$!
	for i in $(seq 1 120); do
		mariadb-admin --no-defaults --socket="$dir/mysql.sock" -uroot ping >/dev/null 2>&1 && return 0
		# Gone already: e.g. another process took the port since we chose it.
		kill -0 "$server" 2>/dev/null || return 1
		sleep 0.5
	done
	return 1
}

# ds_stop_pidfile FILE SECONDS: stops the process named by a pid file,
# waiting up to SECONDS before SIGKILL.
ds_stop_pidfile() {
	local pid
	[ -f "$1" ] || return 0
	pid=$(cat "$1")
	kill "$pid" 2>/dev/null || true
	ds_wait_gone "$pid" "$2" || kill -9 "$pid" 2>/dev/null || true
	# A new server may have written its own pid file meanwhile: keep that.
	if [ "$(cat "$1" 2>/dev/null)" = "$pid" ]; then rm -f "$1"; fi
}

# Stops the mariadbd whose pid file is under $DS_TMP/my.
ds_mariadb_down() {
	[ -f "$DS_TMP/my/mariadb.pid" ] || return 0
	touch "$DS_TMP/my/stopping"
	ds_stop_pidfile "$DS_TMP/my/mariadb.pid" 60
	rm -f "$DS_TMP/my/stopping"
}

# A throwaway CA and a server certificate for 127.0.0.1, plus a second CA
# that signed nothing (to see verification fail).
ds_make_tls() {
	local t="$DS_TMP/tls"
	mkdir -p "$t"
	(
		cd "$t"
		openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=datastore test CA" \
			-keyout ca.key -out ca.pem
		openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=unrelated CA" \
			-keyout other-ca.key -out other-ca.pem
		openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout server.key -out server.csr
		printf 'subjectAltName=IP:127.0.0.1\n' >san.ext
		openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
			-extfile san.ext -out server.pem
	) >"$t/openssl.log" 2>&1
	chmod 755 "$t"
	chmod 644 "$t"/*.pem "$t"/*.key
}

ds_start_mariadb() {
	local dir="$DS_TMP/my" user_opt=()
	[ -f "$DS_TMP/tls/ca.pem" ] || ds_make_tls
	DS_MYSQL_PORT=$(ds_free_port 33069)
	mkdir -p "$dir"
	if ds_is_root; then
		chown mysql:mysql "$dir"
		user_opt=(--user=mysql)
	fi
	mariadb-install-db --no-defaults --datadir="$dir/data" "${user_opt[@]}" \
		--auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1
	# A free port can be taken between choosing and binding it: try again.
	local attempt
	for attempt in 1 2 3 4 5; do
		ds_mariadb_up && break
		[ "$attempt" = 5 ] && { cat "$dir/error.log" >&2; return 1; }
		DS_MYSQL_PORT=$(ds_free_port $((DS_MYSQL_PORT + 1)))
	done
	DS_MYSQL_USER=ds
	DS_MYSQL_PASSWORD="ds-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
	DS_MYSQL_DATABASE=dstest
	mariadb --no-defaults --socket="$dir/mysql.sock" -uroot <<-SQL
		CREATE DATABASE $DS_MYSQL_DATABASE CHARACTER SET utf8mb4;
		CREATE USER '$DS_MYSQL_USER'@'127.0.0.1' IDENTIFIED BY '$DS_MYSQL_PASSWORD';
		GRANT ALL ON *.* TO '$DS_MYSQL_USER'@'127.0.0.1';
		CREATE USER 'ds_tls'@'127.0.0.1' IDENTIFIED BY '$DS_MYSQL_PASSWORD' REQUIRE SSL;
		GRANT ALL ON $DS_MYSQL_DATABASE.* TO 'ds_tls'@'127.0.0.1';
	SQL
}

# The StarRocks emulator (test/starrocks_emulator): FE and BE HTTP and its
# MySQL-protocol front (TLS with the throwaway certificate) on free loopback
# ports, MariaDB behind them as its storage.
ds_start_starrocks() {
	local dir="$DS_TMP/sr" i attempt emu port=18030
	mkdir -p "$dir"
	DS_SR_DATABASE=srdb
	mariadb --no-defaults --socket="$DS_TMP/my/mysql.sock" -uroot \
		-e "CREATE DATABASE IF NOT EXISTS $DS_SR_DATABASE CHARACTER SET utf8mb4"
	for attempt in 1 2 3 4 5; do
		DS_SR_FE_PORT=$(ds_free_port "$port")
		DS_SR_BE_PORT=$(ds_free_port $((DS_SR_FE_PORT + 1)))
		DS_SR_MYSQL_PORT=$(ds_free_port $((DS_SR_BE_PORT + 1)))
		ds_detached /usr/bin/python3 "$DS_ROOT/test/starrocks_emulator/emulator.py" \
			--fe-port "$DS_SR_FE_PORT" --be-port "$DS_SR_BE_PORT" \
			--mysql-listen-port "$DS_SR_MYSQL_PORT" \
			--mysql-tls-cert "$DS_TMP/tls/server.pem" --mysql-tls-key "$DS_TMP/tls/server.key" \
			--mysql-host 127.0.0.1 --mysql-port "$DS_MYSQL_PORT" \
			--mysql-user "$DS_MYSQL_USER" --mysql-password "$DS_MYSQL_PASSWORD" \
			--pid-file "$dir/emulator.pid" --log-file "$dir/emulator.log" >"$dir/stdout.log" 2>&1 &
		emu=$!
		for i in $(seq 1 100); do
			[ -s "$dir/emulator.pid" ] &&
				curl -sf -o /dev/null "http://127.0.0.1:$DS_SR_FE_PORT/_emulator/stats" && return 0
			kill -0 "$emu" 2>/dev/null || break
			sleep 0.2
		done
		kill "$emu" 2>/dev/null || true
		port=$((DS_SR_MYSQL_PORT + 1))
	done
	cat "$dir/stdout.log" "$dir/emulator.log" >&2 2>/dev/null
	return 1
}

ds_stop_starrocks() {
	ds_stop_pidfile "$DS_TMP/sr/emulator.pid" 30
}

# Sets emulator switches: ds_sr_config '{"sink": true}'.
ds_sr_config() {
	curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' \
		--data "$1" "http://127.0.0.1:$DS_SR_FE_PORT/_emulator/config"
}

# The state of load label $1 in the StarRocks database, as get_load_state
# tells it (VISIBLE, PREPARED, ABORTED, UNKNOWN...).
ds_sr_label_state() {
	curl -s -u "$DS_MYSQL_USER:$DS_MYSQL_PASSWORD" \
		"http://127.0.0.1:$DS_SR_FE_PORT/api/$DS_SR_DATABASE/get_load_state?label=$1" |
		sed -n 's/.*"state": *"\([A-Z]*\)".*/\1/p'
}

# The emulator's counter $1 (/_emulator/stats).
ds_sr_stat() {
	curl -s "http://127.0.0.1:$DS_SR_FE_PORT/_emulator/stats" |
		python3 -c "import json, sys; print(json.load(sys.stdin)['$1'])"
}

# Runs SQL (stdin or args) on the test MariaDB as root.
ds_mariadb() {
	mariadb --no-defaults --socket="$DS_TMP/my/mysql.sock" -uroot "$DS_MYSQL_DATABASE" "$@"
}

# ds_test_db NAME: a fresh database with the extension, the local store and
# the MariaDB store "my".
ds_test_db() {
	PGOPTIONS="-c client_min_messages=warning" psql -Xq -d postgres \
		-c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"
	psql -Xq -d "$1" >/dev/null <<-SQL
		CREATE EXTENSION datastore;
		SELECT ds_register('local', 'postgres');
		SELECT ds_register('my', 'mysql', host => '127.0.0.1', port => $DS_MYSQL_PORT,
		                   "user" => '$DS_MYSQL_USER', password => '$DS_MYSQL_PASSWORD',
		                   database => '$DS_MYSQL_DATABASE');
	SQL
}

# ds_start_servers [pg-only|pg-pair]: a temp dir, PostgreSQL, a second
# PostgreSQL as remote (unless pg-only), MariaDB and the StarRocks emulator
# (unless pg-only or pg-pair), and $DS_TMP/env.
ds_start_servers() {
	DS_TMP=$(mktemp -d /tmp/datastore-test.XXXXXX)
	chmod 755 "$DS_TMP"
	ds_log "starting servers under $DS_TMP"
	ds_start_pg
	if [ "${1:-}" != pg-only ]; then
		ds_start_pg2
	fi
	if [ -z "${1:-}" ]; then
		ds_start_mariadb
		ds_start_starrocks
	fi
	cat >"$DS_TMP/env" <<-EOF
		export DS_TMP='$DS_TMP'
		export PGHOST='$PGHOST' PGPORT='$PGPORT' PGUSER=postgres PGDATABASE=postgres
		export DS_PG_DATA='$DS_TMP/pg/data'
	EOF
	if [ -n "${DS_PG2_PORT:-}" ]; then
		cat >>"$DS_TMP/env" <<-EOF
			export DS_PG2_HOST=127.0.0.1 DS_PG2_PORT='$DS_PG2_PORT' DS_PG2_SOCKET='$DS_TMP/pg2'
			export DS_PG2_USER='$DS_PG2_USER' DS_PG2_PASSWORD='$DS_PG2_PASSWORD'
			export DS_PG2_DATABASE='$DS_PG2_DATABASE' DS_PG2_TLS_USER=ds_remote_tls
			export DS_TLS_DIR='$DS_TMP/tls'
		EOF
	fi
	if [ -n "${DS_MYSQL_PORT:-}" ]; then
		cat >>"$DS_TMP/env" <<-EOF
			export DS_MYSQL_HOST=127.0.0.1 DS_MYSQL_PORT='$DS_MYSQL_PORT'
			export DS_MYSQL_SOCKET='$DS_TMP/my/mysql.sock' DS_MYSQL_PIDFILE='$DS_TMP/my/mariadb.pid'
			export DS_MYSQL_USER='$DS_MYSQL_USER' DS_MYSQL_PASSWORD='$DS_MYSQL_PASSWORD'
			export DS_MYSQL_DATABASE='$DS_MYSQL_DATABASE' DS_TLS_DIR='$DS_TMP/tls'
			export DS_SR_FE_PORT='$DS_SR_FE_PORT' DS_SR_BE_PORT='$DS_SR_BE_PORT' DS_SR_MYSQL_PORT='$DS_SR_MYSQL_PORT'
			export DS_SR_DATABASE='$DS_SR_DATABASE'
		EOF
	fi
	export DS_ENV="$DS_TMP/env"
}

# ds_run_shell_tests NAME...: runs test/t/NAME.sh each, logging to
# $DS_TMP/NAME.log; adds to the caller's passed/failed counters.
ds_run_shell_tests() {
	local name
	for name in "$@"; do
		if bash "$DS_ROOT/test/t/$name.sh" >"$DS_TMP/$name.log" 2>&1; then
			passed=$((passed + 1))
			echo "  shell $name ... ok"
		else
			failed=$((failed + 1))
			echo "  shell $name ... FAILED"
			sed 's/^/    | /' "$DS_TMP/$name.log" | tail -40
		fi
	done
}

# Waits up to $2 seconds for process $1 to exit.
ds_wait_gone() {
	local pid=$1 i
	for i in $(seq 1 $(($2 * 10))); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	return 1
}

ds_stop_servers() {
	[ -n "${DS_TMP:-}" ] && [ -d "$DS_TMP" ] || return 0
	if [ -f "$DS_TMP/pg/data/postmaster.pid" ]; then
		ds_as_pg "$PG_BIN/pg_ctl" -D "$DS_TMP/pg/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
	fi
	ds_stop_pg2
	ds_stop_starrocks
	ds_mariadb_down
	if [ -z "${DS_KEEP_TMP:-}" ]; then rm -rf "$DS_TMP"; fi
	DS_TMP=
}
