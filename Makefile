# datastore: PGXS build
EXTENSION = datastore
MODULE_big = datastore
OBJS = \
	src/catalog.o \
	src/curl_api.o \
	src/datastore.o \
	src/dynload.o \
	src/functions.o \
	src/http.o \
	src/introspect.o \
	src/json_scan.o \
	src/jsonb_row.o \
	src/load_encode.o \
	src/local_copy.o \
	src/local_store.o \
	src/mysql_api.o \
	src/mysql_conn.o \
	src/mysql_rows.o \
	src/mysql_store.o \
	src/mysql_types.o \
	src/params.o \
	src/placeholders.o \
	src/pool.o \
	src/pq_api.o \
	src/pq_conn.o \
	src/pq_copy_binary.o \
	src/pq_rows.o \
	src/pq_store.o \
	src/pq_types.o \
	src/progress.o \
	src/row_source.o \
	src/sr_answer.o \
	src/starrocks.o \
	src/starrocks_txn.o \
	src/stream_load.o \
	src/sync.o

DATA = sql/datastore--0.1.sql sql/datastore--0.1--0.2.sql sql/datastore--0.2.sql

REGRESS = setup catalog lifecycle local_query local_privileges progress \
	mysql_driver mysql_missing_driver mysql_types mysql_params mysql_errors mysql_load \
	mysql_pool introspection starrocks starrocks_txn privileges mysql_tls remote_pg sync exactness example_sync shadowing upgrade
REGRESS_OPTS = --inputdir=. --load-extension=plpgsql

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
