/*
 * schema.h
 *		A table's shape in no store's dialect: the columns a source (a table
 *		or a query) has, as each kind's describe callback reads them, and
 *		what each kind's create_table_sql writes its CREATE TABLE from.
 *
 * The model holds what the types of PostgreSQL, MySQL/MariaDB and StarRocks
 * have in common, with the bounds that decide whether a value fits (digits,
 * characters, bytes, fractional seconds); the rest is DS_TYPE_OTHER with
 * the source's own spelling, which only a target of the same dialect can
 * take as it is.  What a target cannot hold exactly is said (core/schema.c
 * has the one WARNING and the one ERROR for it), never narrowed silently.
 */
#ifndef DS_SCHEMA_H
#define DS_SCHEMA_H

#include "nodes/pg_list.h"
#include "utils/tuplestore.h"

#include "core/params.h"
#include "core/pool.h"

typedef enum DsTypeClass
{
	DS_TYPE_BOOL,
	DS_TYPE_INT8,				/* 1-byte integer (TINYINT) */
	DS_TYPE_INT16,
	DS_TYPE_INT24,				/* MySQL's MEDIUMINT */
	DS_TYPE_INT32,
	DS_TYPE_INT64,
	DS_TYPE_INT128,				/* StarRocks' LARGEINT */
	DS_TYPE_NUMERIC,			/* precision, scale; precision -1: unbounded */
	DS_TYPE_FLOAT4,
	DS_TYPE_FLOAT8,
	DS_TYPE_CHAR,				/* length characters, blank-padded */
	DS_TYPE_VARCHAR,			/* length characters; -1: unbounded */
	DS_TYPE_TEXT,				/* length bytes at most; -1: unbounded */
	DS_TYPE_BINARY,				/* length bytes, fixed */
	DS_TYPE_VARBINARY,			/* length bytes at most */
	DS_TYPE_BLOB,				/* length bytes at most; -1: unbounded */
	DS_TYPE_DATE,
	DS_TYPE_TIME,				/* precision: fractional digits (-1: 6) */
	DS_TYPE_TIMESTAMP,			/* no zone; precision as for TIME */
	DS_TYPE_TIMESTAMPTZ,		/* an instant */
	DS_TYPE_INTERVAL,
	DS_TYPE_YEAR,
	DS_TYPE_BIT,				/* length bits */
	DS_TYPE_JSON,				/* jsonb: PostgreSQL's binary form */
	DS_TYPE_ENUM,				/* labels */
	DS_TYPE_UUID,
	DS_TYPE_ARRAY,				/* element */
	DS_TYPE_OTHER				/* spelling, in the schema's dialect */
} DsTypeClass;

typedef struct DsType
{
	DsTypeClass cls;
	bool		is_unsigned;	/* integers */
	bool		jsonb;			/* JSON kept in PostgreSQL's jsonb */
	int32		length;
	int32		precision;
	int32		scale;
	List	   *labels;			/* ENUM: char *, in order */
	struct DsType *element;		/* ARRAY */
	char	   *spelling;		/* as the source names it, for messages */
} DsType;

typedef struct DsColumn
{
	char	   *name;
	DsType		type;
	bool		nullable;
} DsColumn;

/* The SQL dialects a spelling (DS_TYPE_OTHER) can be in. */
typedef enum DsDialect
{
	DS_DIALECT_POSTGRES,
	DS_DIALECT_MYSQL,
	DS_DIALECT_STARROCKS
} DsDialect;

typedef struct DsSchema
{
	DsDialect	dialect;		/* of the spellings */
	List	   *columns;		/* DsColumn *, in order */
	List	   *key;			/* char *: the primary key's columns, in order */
} DsSchema;

/* What ds_ddl's options say about the table to make. */
typedef struct DsDdlOptions
{
	bool		if_not_exists;
	int			buckets;		/* StarRocks: BUCKETS n; 0: the server's */
	List	   *properties;		/* StarRocks: DsDdlProperty *, in order */
} DsDdlOptions;

typedef struct DsDdlProperty
{
	char	   *name;
	char	   *value;
} DsDdlProperty;

/* A new column (name copied), of class cls and no bounds, nullable. */
extern DsColumn *ds_column_new(const char *name, DsTypeClass cls, const char *spelling);

/* The column named name, or NULL. */
extern DsColumn *ds_schema_column(const DsSchema *schema, const char *name);

/*
 * Makes key (char *, names) the schema's key: each must name a column, once;
 * key columns become NOT NULL.  what ("options->'key'") for the ERROR.
 */
extern void ds_schema_set_key(DsSchema *schema, List *key, const char *what);

/*
 * ERROR unless the schema can be a table: at least one column, names that
 * are not empty and not repeated.  store names the source.
 */
extern void ds_schema_check(const DsSchema *schema, const char *store);

/*
 * The WARNING for a column a target holds other than the source does
 * (target_type: what it becomes there; why: what is lost), and the ERROR
 * for one it cannot hold (hint: what to do instead).
 */
extern void ds_ddl_inexact(const DsColumn *col, const char *target_kind,
						   const char *target_type, const char *why);
pg_noreturn extern void ds_ddl_unmappable(const DsColumn *col, const char *target_kind,
										  const char *why, const char *hint);

/* ERROR if opts ask for what only StarRocks tables have (buckets, properties). */
extern void ds_ddl_options_unused(const DsDdlOptions *opts, const char *target_kind);

/* ERROR for a name a generated statement cannot carry (empty). */
extern void ds_ddl_check_name(const char *name, const char *what);

/*
 * Splits "a.b" at its first dot into *first (NULL if none) and *second, as
 * the loads read targets and ds_columns reads tables.
 */
extern void ds_split_qualified(const char *name, char **first, char **second);

/*
 * Runs sql through a kind's query callback and returns its rows, one Jsonb
 * per row: how describe callbacks read a catalog with the kind's own path.
 */
typedef void (*DsQueryFn) (DsPool *pool, const char *sql, DsParams *params,
						   Tuplestorestate *ts, TupleDesc tsdesc);
extern List *ds_schema_query_rows(DsQueryFn query, DsPool *pool, const char *sql,
								  DsParams *params);

/* A row's member as a string, an integer, a boolean (or NULL / -1 / false). */
extern char *ds_row_text(Jsonb *row, const char *key);
extern int64 ds_row_int(Jsonb *row, const char *key, int64 missing);
extern bool ds_row_bool(Jsonb *row, const char *key);

/*
 * The query as a derived table that returns no row, for the kinds that learn
 * a query's columns from a result's metadata; trailing semicolons dropped,
 * the query on lines of its own so that a trailing comment ends there.
 */
extern char *ds_query_no_rows(const char *query);

/*
 * The query as a derived table ordered by the columns named (nnames of
 * names), each quoted as the dialect quotes a name; its text as above.
 */
extern char *ds_query_ordered(const char *query, DsDialect dialect, char *const *names,
							  int nnames);

/* Parameters of one or two strings (NULL: SQL NULL). */
extern DsParams *ds_params_strings(const char *a, const char *b);

#endif							/* DS_SCHEMA_H */
