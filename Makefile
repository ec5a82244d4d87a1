# datastore: PGXS build
EXTENSION = datastore
MODULE_big = datastore
OBJS = \
	src/catalog.o \
	src/datastore.o \
	src/functions.o \
	src/jsonb_row.o \
	src/local_store.o \
	src/params.o \
	src/pool.o

DATA = sql/datastore--0.1.sql

REGRESS = setup catalog lifecycle local_query local_privileges
REGRESS_OPTS = --inputdir=. --load-extension=plpgsql

PG_CPPFLAGS = -Isrc
# PostgreSQL's own headers have unused parameters in inline functions.
PG_CFLAGS = -Wall -Wextra -Werror -Wno-unused-parameter

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)
