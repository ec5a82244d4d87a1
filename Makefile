# datastore: PGXS build
EXTENSION = datastore
MODULE_big = datastore
OBJS = \
	src/datastore.o \
	src/api/call.o \
	src/api/ddl.o \
	src/api/diff.o \
	src/api/diff_ordered.o \
	src/api/diff_sorted.o \
	src/api/functions.o \
	src/api/introspect.o \
	src/api/stream_load.o \
	src/api/sync.o \
	src/core/catalog.o \
	src/core/curl_api.o \
	src/core/dynload.o \
	src/core/http.o \
	src/core/json_scan.o \
	src/core/jsonb_row.o \
	src/core/load.o \
	src/core/load_encode.o \
	src/core/options.o \
	src/core/params.o \
	src/core/pg_column_text.o \
	src/core/pg_merge.o \
	src/core/pg_schema.o \
	src/core/pool.o \
	src/core/progress.o \
	src/core/row_canon.o \
	src/core/row_source.o \
	src/core/schema.o \
	src/core/settings.o \
	src/core/wait.o \
	src/local/local.o \
	src/local/local_copy.o \
	src/local/local_merge.o \
	src/local/local_rows.o \
	src/local/local_schema.o \
	src/local/local_store.o \
	src/mysql/mysql.o \
	src/mysql/mysql_api.o \
	src/mysql/mysql_conn.o \
	src/mysql/mysql_errors.o \
	src/mysql/mysql_infile.o \
	src/mysql/mysql_merge.o \
	src/mysql/mysql_rows.o \
	src/mysql/mysql_schema.o \
	src/mysql/mysql_stmt.o \
	src/mysql/mysql_store.o \
	src/mysql/mysql_types.o \
	src/mysql/placeholders.o \
	src/postgres/pq.o \
	src/postgres/pq_api.o \
	src/postgres/pq_conn.o \
	src/postgres/pq_copy_binary.o \
	src/postgres/pq_merge.o \
	src/postgres/pq_rows.o \
	src/postgres/pq_schema.o \
	src/postgres/pq_store.o \
	src/postgres/pq_types.o \
	src/registry/registry.o \
	src/starrocks/sr_answer.o \
	src/starrocks/sr_ddl.o \
	src/starrocks/sr_http.o \
	src/starrocks/sr_options.o \
	src/starrocks/sr_session.o \
	src/starrocks/sr_sql_api.o \
	src/starrocks/sr_modes.o \
	src/starrocks/sr_stream_load.o \
	src/starrocks/sr_txn.o \
	src/starrocks/starrocks.o

DATA = sql/datastore--0.1.sql sql/datastore--0.1--0.2.sql sql/datastore--0.2.sql

# Regression tests: test/sql/*.sql against test/expected/*.out, setup first
# (the extension and the local store); each test registers what else it uses.
TESTS = $(sort $(wildcard test/sql/*.sql))
REGRESS = setup $(filter-out setup,$(patsubst test/sql/%.sql,%,$(TESTS)))
REGRESS_OPTS = --inputdir=test --load-extension=plpgsql

# MariaDB Connector/C and libpq headers only: the libraries are dlopen()ed.
PG_CPPFLAGS = -Isrc -I/usr/include/mariadb
SHLIB_LINK = -ldl
# PostgreSQL's own headers have unused parameters in inline functions.
PG_CFLAGS = -Wall -Wextra -Werror -Wno-unused-parameter

# Objects follow the headers they include (PGXS's .deps), so a changed
# struct never leaves a stale object behind.
override autodepend = yes

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)
