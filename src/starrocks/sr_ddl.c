/*
 * sr_ddl.c
 *		ds_ddl on StarRocks stores: a table's columns from DESC, its key from
 *		information_schema, a query's columns from its MySQL-protocol field
 *		metadata (src/mysql/mysql_schema.c), and StarRocks' CREATE TABLE.
 *
 * StarRocks' information_schema.COLUMNS calls ARRAY, MAP, STRUCT and
 * VARBINARY "unknown" and LARGEINT "bigint unsigned", so types are read
 * from DESC, which spells them as CREATE TABLE does; its COLUMN_KEY still
 * tells a Primary or Unique Key table's key columns (PRI, UNI) from a
 * Duplicate Key table's sort columns (DUP).  Lengths of CHAR, VARCHAR and
 * VARBINARY are bytes.
 *
 * A table made here is a Primary Key table when there is a key (its columns
 * first, NOT NULL, hashed for distribution, as StarRocks requires), a
 * Duplicate Key table sorted by its first column and distributed at random
 * otherwise.  Names are read as the StarRocks loads read them.
 */
#include "postgres.h"

#include <ctype.h>

#include "lib/stringinfo.h"
#include "miscadmin.h"

#include "mysql/mysql.h"
#include "starrocks/sr_http.h"
#include "starrocks/starrocks.h"

#define SR_KIND "starrocks"
#define SR_VARCHAR_MAX 1048576
#define SR_STRING_BYTES 65533

#define SR_KEY_SQL \
	"SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS" \
	" WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND COLUMN_KEY IN ('PRI', 'UNI')" \
	" ORDER BY ORDINAL_POSITION"

static void
sr_query(DsPool *pool, const char *sql, DsParams *params, Tuplestorestate *ts,
		 TupleDesc tsdesc)
{
	ds_mysql_run_query(pool, sql, params, true, ts, tsdesc);
}

static bool
word_is(const char **p, const char *word)
{
	size_t		n = strlen(word);

	if (pg_strncasecmp(*p, word, n) != 0 || isalnum((unsigned char) (*p)[n]) || (*p)[n] == '_')
		return false;
	*p += n;
	return true;
}

/* (a[, b]) after a type name; false if there is none. */
static bool
bounds(const char **p, int32 *a, int32 *b)
{
	char	   *end;
	long		v;

	if (**p != '(')
		return false;
	v = strtol(*p + 1, &end, 10);
	*a = (v < 0 || v > PG_INT32_MAX) ? -1 : (int32) v;
	*p = end;
	if (**p == ',')
	{
		v = strtol(*p + 1, &end, 10);
		if (b)
			*b = (v < 0 || v > PG_INT32_MAX) ? 0 : (int32) v;
		*p = end;
	}
	if (**p == ')')
		(*p)++;
	return true;
}

/* A DESC type (INT, DECIMAL(10,2), VARCHAR(20), ARRAY<INT>...) into *t from *p. */
static void
parse_type(DsType *t, const char **p)
{
	const char *start = *p;
	int32		a = -1;
	int32		b = 0;

	/* the server's ARRAY<ARRAY<...>> nests as deep as it likes */
	check_stack_depth();
	t->length = -1;
	t->precision = -1;
	t->cls = DS_TYPE_OTHER;
	if (word_is(p, "BOOLEAN"))
		t->cls = DS_TYPE_BOOL;
	else if (word_is(p, "TINYINT"))
		t->cls = DS_TYPE_INT8;
	else if (word_is(p, "SMALLINT"))
		t->cls = DS_TYPE_INT16;
	else if (word_is(p, "INT") || word_is(p, "INTEGER"))
		t->cls = DS_TYPE_INT32;
	else if (word_is(p, "BIGINT"))
		t->cls = DS_TYPE_INT64;
	else if (word_is(p, "LARGEINT"))
		t->cls = DS_TYPE_INT128;
	else if (word_is(p, "FLOAT"))
		t->cls = DS_TYPE_FLOAT4;
	else if (word_is(p, "DOUBLE"))
		t->cls = DS_TYPE_FLOAT8;
	else if (word_is(p, "DECIMAL") || word_is(p, "DECIMALV2") || word_is(p, "DECIMAL32") ||
			 word_is(p, "DECIMAL64") || word_is(p, "DECIMAL128"))
	{
		t->cls = DS_TYPE_NUMERIC;
		while (**p == ' ')
			(*p)++;
		if (!bounds(p, &a, &b))
			a = 10, b = 0;
		t->precision = a;
		t->scale = b;
	}
	else if (word_is(p, "DATETIME"))
	{
		t->cls = DS_TYPE_TIMESTAMP;
		t->precision = 6;
	}
	else if (word_is(p, "DATE"))
		t->cls = DS_TYPE_DATE;
	else if (word_is(p, "CHAR"))
	{
		t->cls = DS_TYPE_CHAR;
		t->length = bounds(p, &a, NULL) ? a : 1;
	}
	else if (word_is(p, "VARCHAR"))
	{
		t->cls = DS_TYPE_VARCHAR;
		t->length = bounds(p, &a, NULL) ? a : SR_STRING_BYTES;
		/* STRING is a VARCHAR(65533) */
		if (t->length == SR_STRING_BYTES)
			t->cls = DS_TYPE_TEXT;
	}
	else if (word_is(p, "STRING") || word_is(p, "TEXT"))
	{
		t->cls = DS_TYPE_TEXT;
		t->length = SR_STRING_BYTES;
	}
	else if (word_is(p, "VARBINARY") || word_is(p, "BINARY"))
	{
		t->cls = bounds(p, &a, NULL) ? DS_TYPE_VARBINARY : DS_TYPE_BLOB;
		t->length = a;
	}
	else if (word_is(p, "JSON"))
		t->cls = DS_TYPE_JSON;
	else if (word_is(p, "ARRAY") && **p == '<')
	{
		(*p)++;
		t->cls = DS_TYPE_ARRAY;
		t->element = palloc0(sizeof(DsType));
		parse_type(t->element, p);
		if (**p == '>')
			(*p)++;
		else
			t->cls = DS_TYPE_OTHER;
	}
	if (t->cls == DS_TYPE_OTHER)
	{
		/* MAP, STRUCT and the rest: as spelled, to the end of a nested type */
		int			depth = 0;

		for (; **p && !(depth == 0 && (**p == '>' || **p == ',')); (*p)++)
			depth += (**p == '<') - (**p == '>');
	}
	t->spelling = pnstrdup(start, *p - start);
}

static DsSchema *
describe_table(DsPool *pool, const char *source)
{
	DsSchema   *schema = palloc0(sizeof(DsSchema));
	char	   *db;
	char	   *table;
	ListCell   *lc;

	schema->dialect = DS_DIALECT_STARROCKS;
	ds_sr_split_target(pool, source, &db, &table);
	foreach(lc, ds_schema_query_rows(sr_query, pool,
									 psprintf("DESC %s.%s", ds_my_quote_ident(db),
											  ds_my_quote_ident(table)), NULL))
	{
		Jsonb	   *row = lfirst(lc);
		char	   *name = ds_row_text(row, "Field");
		char	   *type = ds_row_text(row, "Type");
		char	   *null = ds_row_text(row, "Null");
		DsColumn   *col;
		const char *p;

		if (name == NULL || type == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_ERROR),
					 errmsg("datastore \"%s\" answered DESC without a column's name or type", pool->name)));
		col = ds_column_new(name, DS_TYPE_OTHER, type);
		p = type;
		parse_type(&col->type, &p);
		if (*p != '\0')
		{
			/* not one type after all: keep StarRocks' spelling whole */
			col->type.cls = DS_TYPE_OTHER;
			col->type.spelling = type;
		}
		col->nullable = null == NULL || pg_strcasecmp(null, "YES") == 0;
		schema->columns = lappend(schema->columns, col);
	}
	if (schema->columns == NIL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("table \"%s\" does not exist on datastore \"%s\"", source, pool->name)));
	foreach(lc, ds_schema_query_rows(sr_query, pool, SR_KEY_SQL, ds_params_strings(db, table)))
	{
		char	   *name = ds_row_text(lfirst(lc), "name");

		if (name == NULL || ds_schema_column(schema, name) == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_ERROR),
					 errmsg("datastore \"%s\" answered a key column its table does not have", pool->name)));
		schema->key = lappend(schema->key, ds_schema_column(schema, name)->name);
	}
	return schema;
}

DsSchema *
ds_sr_describe(DsPool *pool, const char *source, bool query, DsParams *params)
{
	if (query)
		return ds_mysql_describe_query(pool, source, params, true);
	return describe_table(pool, source);
}

/* A double-quoted StarRocks string (PROPERTIES, COMMENT). */
static char *
sr_literal(const char *s)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '"');
	for (; *s; s++)
	{
		if (*s == '"' || *s == '\\')
			appendStringInfoChar(&buf, '\\');
		appendStringInfoChar(&buf, *s);
	}
	appendStringInfoChar(&buf, '"');
	return buf.data;
}

/* Characters as StarRocks' bytes: four for utf8mb4, a StarRocks length as it is. */
static int64
sr_bytes(int32 length, DsDialect dialect)
{
	return dialect == DS_DIALECT_STARROCKS ? length : (int64) length * 4;
}

static char *
sr_varchar(const DsColumn *col, int64 bytes)
{
	if (bytes <= SR_VARCHAR_MAX)
		return psprintf("VARCHAR(%d)", (int) Max(bytes, 1));
	ds_ddl_inexact(col, SR_KIND, "VARCHAR(1048576)",
				   "StarRocks' longest VARCHAR has 1048576 bytes: longer values are refused.");
	return "VARCHAR(1048576)";
}

/* The StarRocks type of t; *keyable: whether a key column can have it. */
static char *
sr_type_of(const DsColumn *col, const DsType *t, DsDialect dialect, bool *keyable)
{
	*keyable = true;
	switch (t->cls)
	{
		case DS_TYPE_BOOL:
			return "BOOLEAN";
		case DS_TYPE_INT8:
			return t->is_unsigned ? "SMALLINT" : "TINYINT";
		case DS_TYPE_INT16:
			return t->is_unsigned ? "INT" : "SMALLINT";
		case DS_TYPE_INT24:
			return "INT";
		case DS_TYPE_INT32:
			return t->is_unsigned ? "BIGINT" : "INT";
		case DS_TYPE_INT64:
			return t->is_unsigned ? "LARGEINT" : "BIGINT";
		case DS_TYPE_INT128:
			return "LARGEINT";
		case DS_TYPE_NUMERIC:
			*keyable = false;
			if (t->precision < 0)
			{
				ds_ddl_inexact(col, SR_KIND, "DECIMAL(38,18)",
							   "StarRocks has no unbounded DECIMAL: values with more than 20 integer digits are refused, more than 18 decimals rounded.");
				return "DECIMAL(38,18)";
			}
			if (t->scale < 0)
			{
				if (t->precision - t->scale > 38)
					ds_ddl_unmappable(col, SR_KIND, "StarRocks' DECIMAL has at most 38 digits.", NULL);
				return psprintf("DECIMAL(%d,0)", t->precision - t->scale);
			}
			if (t->precision == 39 && t->scale == 0)
			{
				/* LARGEINT's own spelling elsewhere (PostgreSQL, MySQL) */
				*keyable = true;
				ds_ddl_inexact(col, SR_KIND, "LARGEINT",
							   "LARGEINT holds integers of up to 39 digits, from -2^127 to 2^127-1: others are refused.");
				return "LARGEINT";
			}
			if (t->precision > 38)
				ds_ddl_unmappable(col, SR_KIND, "StarRocks' DECIMAL has at most 38 digits.",
								  "Make the source a query that casts the column to numeric(38,s) if its values fit, or to text.");
			return psprintf("DECIMAL(%d,%d)", Max(t->precision, 1), Min(t->scale, Max(t->precision, 1)));
		case DS_TYPE_FLOAT4:
			*keyable = false;
			return "FLOAT";
		case DS_TYPE_FLOAT8:
			*keyable = false;
			return "DOUBLE";
		case DS_TYPE_CHAR:
		case DS_TYPE_VARCHAR:
			/* VARCHAR even for CHAR: StarRocks' CHAR cannot be a key */
			if (t->length >= 0)
				return sr_varchar(col, sr_bytes(t->length, dialect));
			/* FALLTHROUGH */
		case DS_TYPE_TEXT:
			if (t->length >= 0 && t->length <= SR_STRING_BYTES)
				return "STRING";
			/* the widest StarRocks has; longer values are refused by the load */
			return "VARCHAR(1048576)";
		case DS_TYPE_BINARY:
		case DS_TYPE_VARBINARY:
		case DS_TYPE_BLOB:
			*keyable = false;
			if (t->cls != DS_TYPE_BLOB && t->length > 0 && t->length <= SR_VARCHAR_MAX)
				return psprintf("VARBINARY(%d)", t->length);
			return "VARBINARY";
		case DS_TYPE_DATE:
			return "DATE";
		case DS_TYPE_TIME:
			ds_ddl_inexact(col, SR_KIND, "VARCHAR(20)",
						   "StarRocks has no TIME type: the times are kept as their text.");
			return "VARCHAR(20)";
		case DS_TYPE_TIMESTAMP:
			return "DATETIME";
		case DS_TYPE_TIMESTAMPTZ:
			ds_ddl_inexact(col, SR_KIND, "DATETIME",
						   "StarRocks' DATETIME has no time zone: the instants are kept as their UTC time, which the loads write.");
			return "DATETIME";
		case DS_TYPE_YEAR:
			return "SMALLINT";
		case DS_TYPE_JSON:
			*keyable = false;
			return "JSON";
		case DS_TYPE_ENUM:
			{
				int			longest = 1;
				ListCell   *lc;

				foreach(lc, t->labels)
					longest = Max(longest, (int) strlen(lfirst(lc)));
				/* an array's element: the column is what the message names */
				ds_ddl_inexact(col, SR_KIND,
							   psprintf(t == &col->type ? "VARCHAR(%d)" : "ARRAY<VARCHAR(%d)>", longest),
							   "StarRocks has no ENUM: the labels are not checked there.");
				return psprintf("VARCHAR(%d)", longest);
			}
		case DS_TYPE_UUID:
			return "VARCHAR(36)";
		case DS_TYPE_ARRAY:
			{
				bool		ignored;

				*keyable = false;
				return psprintf("ARRAY<%s>", sr_type_of(col, t->element, dialect, &ignored));
			}
		case DS_TYPE_INTERVAL:
		case DS_TYPE_BIT:
			break;
		case DS_TYPE_OTHER:
			if (dialect == DS_DIALECT_STARROCKS)
			{
				*keyable = false;
				return t->spelling;
			}
			break;
	}
	ds_ddl_unmappable(col, SR_KIND, "StarRocks has no type for it.", NULL);
}

static void
append_names(StringInfo sql, List *names)
{
	ListCell   *lc;

	appendStringInfoChar(sql, '(');
	foreach(lc, names)
		appendStringInfo(sql, "%s%s", foreach_current_index(lc) > 0 ? ", " : "",
						 ds_my_quote_ident(lfirst(lc)));
	appendStringInfoChar(sql, ')');
}

char *
ds_sr_create_table_sql(DsPool *pool, const char *target, const DsSchema *schema,
					   const DsDdlOptions *opts)
{
	StringInfoData sql;
	char	   *db;
	char	   *table;
	List	   *order = NIL;
	ListCell   *lc;
	DsColumn   *first;
	bool		first_keyable = false;

	ds_sr_split_target(pool, target, &db, &table);
	/* StarRocks wants the key's columns to lead, in the key's order */
	foreach(lc, schema->key)
		order = lappend(order, ds_schema_column(schema, lfirst(lc)));
	foreach(lc, schema->columns)
		if (!list_member_ptr(order, lfirst(lc)))
			order = lappend(order, lfirst(lc));

	initStringInfo(&sql);
	appendStringInfo(&sql, "CREATE TABLE %s%s.%s (", opts->if_not_exists ? "IF NOT EXISTS " : "",
					 ds_my_quote_ident(db), ds_my_quote_ident(table));
	foreach(lc, order)
	{
		DsColumn   *col = lfirst(lc);
		bool		keyable;
		char	   *type = sr_type_of(col, &col->type, schema->dialect, &keyable);
		bool		is_key = foreach_current_index(lc) < list_length(schema->key);

		if (strncmp(col->name, "__op", 4) == 0 || strncmp(col->name, "__row", 5) == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_NAME),
					 errmsg("column \"%s\" cannot be made on StarRocks", col->name),
					 errdetail("StarRocks keeps names that begin with __op or __row for itself."),
					 errhint("Make the source a query that renames the column.")));
		if (is_key && !keyable)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("key column \"%s\" (%s) would be %s on StarRocks, which cannot be a key",
							col->name, col->type.spelling, type),
					 errdetail("A StarRocks Primary Key column is BOOLEAN, an integer, VARCHAR, STRING, DATE or DATETIME."),
					 errhint("Give options->'key' other columns, or make the source a query that casts the key.")));
		if (foreach_current_index(lc) == 0)
			first_keyable = keyable || col->type.cls == DS_TYPE_NUMERIC;
		appendStringInfo(&sql, "%s\n    %s %s %s", foreach_current_index(lc) > 0 ? "," : "",
						 ds_my_quote_ident(col->name), type,
						 col->nullable && !is_key ? "NULL" : "NOT NULL");
	}
	appendStringInfoString(&sql, "\n)");
	first = linitial(order);
	if (schema->key != NIL)
	{
		appendStringInfoString(&sql, "\nPRIMARY KEY ");
		append_names(&sql, schema->key);
		appendStringInfoString(&sql, "\nDISTRIBUTED BY HASH ");
		append_names(&sql, schema->key);
	}
	else
	{
		if (!first_keyable)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("column \"%s\" (%s) cannot lead a StarRocks table", first->name,
							first->type.spelling),
					 errdetail("A Duplicate Key table is sorted by its first column, which cannot be FLOAT, DOUBLE, JSON, VARBINARY or an ARRAY."),
					 errhint("Give options->'key', or make the source a query whose first column can sort.")));
		appendStringInfoString(&sql, "\nDUPLICATE KEY ");
		append_names(&sql, list_make1(first->name));
		appendStringInfoString(&sql, "\nDISTRIBUTED BY RANDOM");
	}
	if (opts->buckets > 0)
		appendStringInfo(&sql, " BUCKETS %d", opts->buckets);
	if (opts->properties != NIL)
	{
		appendStringInfoString(&sql, "\nPROPERTIES (");
		foreach(lc, opts->properties)
		{
			DsDdlProperty *p = lfirst(lc);

			appendStringInfo(&sql, "%s%s = %s", foreach_current_index(lc) > 0 ? ", " : "",
							 sr_literal(p->name), sr_literal(p->value));
		}
		appendStringInfoChar(&sql, ')');
	}
	return sql.data;
}
