/*
 * mysql_schema.c
 *		ds_ddl on MySQL/MariaDB stores: a table's columns from
 *		information_schema, a query's from its result's field metadata (no
 *		row read), and MySQL's CREATE TABLE.  StarRocks describes its
 *		queries with the same field metadata (src/starrocks/sr_ddl.c).
 *
 * information_schema says more than field metadata (enum labels, lengths in
 * characters, the key's order), so tables are read there; MariaDB's JSON is
 * a LONGTEXT there, told apart only by the extended metadata of a result,
 * so a table with a LONGTEXT column is also asked for an empty result.
 * Names are read as the MySQL loads read them: "db.table" split at the
 * first dot, each part as it is.
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"

#include "mysql/mysql.h"
#include "mysql/mysql_types.h"

#define BINARY_CHARSET 63

#define MY_DESCRIBE_SQL \
	"SELECT COLUMN_NAME AS name, LOWER(DATA_TYPE) AS data_type, COLUMN_TYPE AS column_type," \
	" IS_NULLABLE = 'YES' AS nullable, CHARACTER_MAXIMUM_LENGTH AS char_length," \
	" NUMERIC_PRECISION AS num_precision, NUMERIC_SCALE AS num_scale," \
	" DATETIME_PRECISION AS dt_precision" \
	" FROM information_schema.COLUMNS" \
	" WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?" \
	" ORDER BY ORDINAL_POSITION"
#define MY_KEY_SQL \
	"SELECT COLUMN_NAME AS name FROM information_schema.KEY_COLUMN_USAGE" \
	" WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?" \
	" AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION"

static void
my_query(DsPool *pool, const char *sql, DsParams *params, Tuplestorestate *ts,
		 TupleDesc tsdesc)
{
	ds_mysql_run_query(pool, sql, params, false, ts, tsdesc);
}

/* enum('a','it''s','a\\b') as information_schema writes it: its labels. */
static List *
enum_labels(const char *column_type)
{
	const char *p = strchr(column_type, '(');
	List	   *labels = NIL;

	if (p == NULL)
		return NIL;
	for (p++; *p == '\''; )
	{
		StringInfoData label;

		initStringInfo(&label);
		for (p++; *p; p++)
		{
			if ((*p == '\'' && p[1] == '\'') || (*p == '\\' && p[1] != '\0'))
				appendStringInfoChar(&label, *++p);
			else if (*p == '\'')
				break;
			else
				appendStringInfoChar(&label, *p);
		}
		if (*p != '\'')
			break;
		labels = lappend(labels, label.data);
		p++;
		if (*p == ',')
			p++;
	}
	return labels;
}

/* The byte bound of TINYTEXT..LONGTEXT (and the BLOBs); -1: LONG, 4 GB. */
static int32
lob_length(const char *data_type)
{
	if (strncmp(data_type, "tiny", 4) == 0)
		return 255;
	if (strncmp(data_type, "medium", 6) == 0)
		return 16777215;
	if (strncmp(data_type, "long", 4) == 0)
		return -1;
	return 65535;
}

static int32
bounded(int64 n)
{
	return (n < 0 || n > PG_INT32_MAX) ? -1 : (int32) n;
}

/* One information_schema.COLUMNS row as a column. */
static DsColumn *
column_of_row(Jsonb *row)
{
	char	   *name = ds_row_text(row, "name");
	char	   *dt = ds_row_text(row, "data_type");
	char	   *ct = ds_row_text(row, "column_type");
	int64		chars = ds_row_int(row, "char_length", -1);
	int64		prec = ds_row_int(row, "num_precision", -1);
	int64		scale = ds_row_int(row, "num_scale", 0);
	int64		dtp = ds_row_int(row, "dt_precision", -1);
	DsColumn   *col;
	DsType	   *t;

	if (name == NULL || dt == NULL || ct == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("the store's information_schema answered a column without a name or type")));
	col = ds_column_new(name, DS_TYPE_OTHER, ct);
	t = &col->type;
	col->nullable = ds_row_bool(row, "nullable");
	t->is_unsigned = strstr(ct, "unsigned") != NULL;
	if (strcmp(dt, "tinyint") == 0)
		t->cls = strncmp(ct, "tinyint(1)", 10) == 0 && !t->is_unsigned ? DS_TYPE_BOOL : DS_TYPE_INT8;
	else if (strcmp(dt, "smallint") == 0)
		t->cls = DS_TYPE_INT16;
	else if (strcmp(dt, "mediumint") == 0)
		t->cls = DS_TYPE_INT24;
	else if (strcmp(dt, "int") == 0 || strcmp(dt, "integer") == 0)
		t->cls = DS_TYPE_INT32;
	else if (strcmp(dt, "bigint") == 0)
		t->cls = DS_TYPE_INT64;
	else if (strcmp(dt, "decimal") == 0 || strcmp(dt, "numeric") == 0)
	{
		t->cls = DS_TYPE_NUMERIC;
		t->precision = bounded(prec);
		t->scale = bounded(scale) < 0 ? 0 : (int32) scale;
	}
	else if (strcmp(dt, "float") == 0)
		t->cls = DS_TYPE_FLOAT4;
	else if (strcmp(dt, "double") == 0 || strcmp(dt, "real") == 0)
		t->cls = DS_TYPE_FLOAT8;
	else if (strcmp(dt, "bit") == 0)
	{
		t->cls = DS_TYPE_BIT;
		t->length = bounded(prec);
	}
	else if (strcmp(dt, "char") == 0 || strcmp(dt, "varchar") == 0)
	{
		t->cls = dt[0] == 'c' ? DS_TYPE_CHAR : DS_TYPE_VARCHAR;
		t->length = bounded(chars);
	}
	else if (strcmp(dt, "binary") == 0 || strcmp(dt, "varbinary") == 0)
	{
		t->cls = dt[0] == 'b' ? DS_TYPE_BINARY : DS_TYPE_VARBINARY;
		t->length = bounded(chars);
	}
	else if (strstr(dt, "text") != NULL)
	{
		t->cls = DS_TYPE_TEXT;
		t->length = lob_length(dt);
	}
	else if (strstr(dt, "blob") != NULL)
	{
		t->cls = DS_TYPE_BLOB;
		t->length = lob_length(dt);
	}
	else if (strcmp(dt, "date") == 0)
		t->cls = DS_TYPE_DATE;
	else if (strcmp(dt, "time") == 0 || strcmp(dt, "datetime") == 0 ||
			 strcmp(dt, "timestamp") == 0)
	{
		/* TIMESTAMP is stored in UTC and read in the session's zone: an instant */
		t->cls = dt[1] == 'i' && dt[4] == '\0' ? DS_TYPE_TIME :
			strcmp(dt, "datetime") == 0 ? DS_TYPE_TIMESTAMP : DS_TYPE_TIMESTAMPTZ;
		t->precision = dtp < 0 ? 0 : (int32) Min(dtp, 6);
	}
	else if (strcmp(dt, "year") == 0)
		t->cls = DS_TYPE_YEAR;
	else if (strcmp(dt, "json") == 0)
		t->cls = DS_TYPE_JSON;
	else if (strcmp(dt, "enum") == 0)
	{
		t->cls = DS_TYPE_ENUM;
		t->labels = enum_labels(ct);
	}
	/* SET, the spatial types and the rest stay DS_TYPE_OTHER */
	return col;
}

/* MariaDB's JSON columns, known only from a result's extended metadata. */
static void
mark_json(DsPool *pool, DsSchema *schema, const char *quoted, bool splice)
{
	DsParams	none = {0};
	DsConn	   *conn;
	DsMyResult *res = ds_mysql_open_query(pool, psprintf("SELECT * FROM %s LIMIT 0", quoted),
										  &none, splice, &conn);
	const DsMysqlApi *api = ds_my_api_of(conn);

	for (unsigned int i = 0; i < res->nfields; i++)
	{
		DsColumn   *col = list_nth(schema->columns, Min((int) i, list_length(schema->columns) - 1));

		if (res->nfields == (unsigned int) list_length(schema->columns) &&
			col->type.cls == DS_TYPE_TEXT && ds_my_field_kind(api, &res->fields[i]) == MYK_JSON)
			col->type.cls = DS_TYPE_JSON;
	}
	ds_my_finish(res);
	ds_pool_checkin(conn);
}

DsSchema *
ds_mysql_describe_table(DsPool *pool, const char *source, DsQueryFn query, bool splice)
{
	DsSchema   *schema = palloc0(sizeof(DsSchema));
	char	   *db;
	char	   *table;
	DsParams   *params;
	ListCell   *lc;
	bool		longtext = false;

	schema->dialect = DS_DIALECT_MYSQL;
	ds_split_qualified(source, &db, &table);
	params = ds_params_strings(db, table);
	foreach(lc, ds_schema_query_rows(query, pool, MY_DESCRIBE_SQL, params))
	{
		DsColumn   *col = column_of_row(lfirst(lc));

		longtext |= (col->type.cls == DS_TYPE_TEXT && col->type.length < 0);
		schema->columns = lappend(schema->columns, col);
	}
	if (schema->columns == NIL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("table \"%s\" does not exist on datastore \"%s\"", source, pool->name)));
	foreach(lc, ds_schema_query_rows(query, pool, MY_KEY_SQL, params))
	{
		char	   *name = ds_row_text(lfirst(lc), "name");

		if (name == NULL || ds_schema_column(schema, name) == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_ERROR),
					 errmsg("datastore \"%s\" answered a key column its table does not have", pool->name)));
		schema->key = lappend(schema->key, ds_schema_column(schema, name)->name);
	}
	if (longtext)
		mark_json(pool, schema, db ? psprintf("%s.%s", ds_my_quote_ident(db), ds_my_quote_ident(table))
				  : ds_my_quote_ident(table), splice);
	return schema;
}

/* The bytes per character of the result's character set (utf8mb4: 4). */
static int
max_bytes_per_char(unsigned int charsetnr)
{
	if (charsetnr == 33 || charsetnr == 83 || (charsetnr >= 192 && charsetnr <= 215) ||
		charsetnr == 223)
		return 3;
	if (charsetnr == 45 || charsetnr == 46 || (charsetnr >= 224 && charsetnr <= 247) ||
		(charsetnr >= 255 && charsetnr <= 323))
		return 4;
	/* unknown: count bytes as characters, which only ever widens */
	return 1;
}

static const char *const lob_names[] = {"tiny", "", "medium", "long"};

static int32
lob_of_bytes(unsigned long bytes, int *which)
{
	*which = bytes <= 255 ? 0 : bytes <= 65535 ? 1 : bytes <= 16777215 ? 2 : 3;
	return *which == 0 ? 255 : *which == 1 ? 65535 : *which == 2 ? 16777215 : -1;
}

/* One field of a result as a column; its spelling is MySQL's, as near as metadata tells. */
static DsColumn *
column_of_field(const DsMysqlApi *api, DsConn *conn, const MYSQL_FIELD *f)
{
	DsColumn   *col;
	DsType	   *t;
	bool		uns = (f->flags & UNSIGNED_FLAG) != 0;
	const char *u = uns ? " unsigned" : "";
	int			which;

	if (f->name == NULL)
		ds_my_bad_answer(conn, "a query's field metadata", "a column without a name");
	/* a name cut short at a NUL or a bad byte would name another column */
	if (f->name_length > 1024 || memchr(f->name, '\0', f->name_length) != NULL ||
		!pg_verify_mbstr(PG_UTF8, f->name, (int) f->name_length, true))
		ds_my_bad_answer(conn, "a query's field metadata",
						 "a column name that is not UTF-8 text of at most 1024 bytes");
	col = ds_column_new(ds_my_server_text(f->name, f->name_length), DS_TYPE_OTHER, NULL);
	t = &col->type;
	t->is_unsigned = uns;
	col->nullable = (f->flags & NOT_NULL_FLAG) == 0;
	switch (f->type)
	{
		case MYSQL_TYPE_TINY:
			t->cls = (f->length == 1 && !uns) ? DS_TYPE_BOOL : DS_TYPE_INT8;
			t->spelling = psprintf("tinyint%s%s", f->length == 1 ? "(1)" : "", u);
			break;
		case MYSQL_TYPE_SHORT:
			t->cls = DS_TYPE_INT16;
			t->spelling = psprintf("smallint%s", u);
			break;
		case MYSQL_TYPE_INT24:
			t->cls = DS_TYPE_INT24;
			t->spelling = psprintf("mediumint%s", u);
			break;
		case MYSQL_TYPE_LONG:
			t->cls = DS_TYPE_INT32;
			t->spelling = psprintf("int%s", u);
			break;
		case MYSQL_TYPE_LONGLONG:
			t->cls = DS_TYPE_INT64;
			t->spelling = psprintf("bigint%s", u);
			break;
		case MYSQL_TYPE_DECIMAL:
		case MYSQL_TYPE_NEWDECIMAL:
			/* the display length counts a sign and a decimal point */
			t->cls = DS_TYPE_NUMERIC;
			t->scale = Min(f->decimals, 30);
			t->precision = (int32) Min(f->length, 1000) - (f->decimals > 0 ? 1 : 0) - (uns ? 0 : 1);
			if (t->precision < Max(t->scale, 1))
				t->precision = Max(t->scale, 1);
			t->spelling = psprintf("decimal(%d,%d)%s", t->precision, t->scale, u);
			break;
		case MYSQL_TYPE_FLOAT:
			t->cls = DS_TYPE_FLOAT4;
			t->spelling = "float";
			break;
		case MYSQL_TYPE_DOUBLE:
			t->cls = DS_TYPE_FLOAT8;
			t->spelling = "double";
			break;
		case MYSQL_TYPE_BIT:
			t->cls = DS_TYPE_BIT;
			t->length = (int32) Min(f->length, 64);
			t->spelling = psprintf("bit(%d)", t->length);
			break;
		case MYSQL_TYPE_DATE:
		case MYSQL_TYPE_NEWDATE:
			t->cls = DS_TYPE_DATE;
			t->spelling = "date";
			break;
		case MYSQL_TYPE_TIME:
		case MYSQL_TYPE_DATETIME:
		case MYSQL_TYPE_TIMESTAMP:
			t->cls = f->type == MYSQL_TYPE_TIME ? DS_TYPE_TIME :
				f->type == MYSQL_TYPE_DATETIME ? DS_TYPE_TIMESTAMP : DS_TYPE_TIMESTAMPTZ;
			/* 31 (NOT_FIXED_DEC): not known, so the widest */
			t->precision = f->decimals <= 6 ? (int32) f->decimals : 6;
			t->spelling = psprintf("%s(%d)", f->type == MYSQL_TYPE_TIME ? "time" :
								   f->type == MYSQL_TYPE_DATETIME ? "datetime" : "timestamp",
								   t->precision);
			break;
		case MYSQL_TYPE_YEAR:
			t->cls = DS_TYPE_YEAR;
			t->spelling = "year";
			break;
		case MYSQL_TYPE_JSON:
			t->cls = DS_TYPE_JSON;
			t->spelling = "json";
			break;
		case MYSQL_TYPE_STRING:
		case MYSQL_TYPE_VAR_STRING:
		case MYSQL_TYPE_VARCHAR:
		case MYSQL_TYPE_TINY_BLOB:
		case MYSQL_TYPE_BLOB:
		case MYSQL_TYPE_MEDIUM_BLOB:
		case MYSQL_TYPE_LONG_BLOB:
			{
				bool		fixed = f->type == MYSQL_TYPE_STRING;
				bool		lob = !fixed && f->type != MYSQL_TYPE_VAR_STRING &&
					f->type != MYSQL_TYPE_VARCHAR;

				if (ds_my_field_kind(api, f) == MYK_JSON)
				{
					t->cls = DS_TYPE_JSON;
					t->spelling = "json";
				}
				else if (f->charsetnr == BINARY_CHARSET)
				{
					t->cls = lob ? DS_TYPE_BLOB : fixed ? DS_TYPE_BINARY : DS_TYPE_VARBINARY;
					t->length = lob ? lob_of_bytes(f->length, &which) : (int32) Min(f->length, PG_INT32_MAX);
					t->spelling = lob ? psprintf("%sblob", lob_names[which]) :
						psprintf("%s(%d)", fixed ? "binary" : "varbinary", t->length);
				}
				else if (lob)
				{
					t->cls = DS_TYPE_TEXT;
					t->length = lob_of_bytes(f->length / max_bytes_per_char(f->charsetnr), &which);
					t->spelling = psprintf("%stext", lob_names[which]);
				}
				else
				{
					/* ENUM and SET come as strings: their labels are not in metadata */
					t->cls = fixed && !(f->flags & (ENUM_FLAG | SET_FLAG)) ? DS_TYPE_CHAR : DS_TYPE_VARCHAR;
					t->length = (int32) Min(f->length / max_bytes_per_char(f->charsetnr), PG_INT32_MAX);
					t->spelling = psprintf("%s(%d)", (f->flags & ENUM_FLAG) ? "enum as varchar" :
										   (f->flags & SET_FLAG) ? "set as varchar" :
										   fixed ? "char" : "varchar", t->length);
				}
			}
			break;
		case MYSQL_TYPE_NULL:
			t->cls = DS_TYPE_TEXT;
			t->spelling = "null";
			break;
		default:
			t->spelling = psprintf("MySQL type %d", (int) f->type);
			break;
	}
	return col;
}

DsSchema *
ds_mysql_describe_query(DsPool *pool, const char *sql, DsParams *params, bool splice)
{
	DsSchema   *schema = palloc0(sizeof(DsSchema));
	DsConn	   *conn;
	DsMyResult *res = ds_mysql_open_query(pool, ds_query_no_rows(sql), params, splice, &conn);
	const DsMysqlApi *api = ds_my_api_of(conn);

	schema->dialect = DS_DIALECT_MYSQL;
	for (unsigned int i = 0; i < res->nfields; i++)
		schema->columns = lappend(schema->columns, column_of_field(api, conn, &res->fields[i]));
	ds_my_finish(res);
	ds_pool_checkin(conn);
	return schema;
}

DsSchema *
ds_mysql_describe(DsPool *pool, const char *source, bool query, DsParams *params)
{
	if (query)
		return ds_mysql_describe_query(pool, source, params, false);
	return ds_mysql_describe_table(pool, source, my_query, false);
}

/* A string literal for MySQL's default sql_mode (backslashes escape). */
static char *
my_literal(const char *s)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '\'');
	for (; *s; s++)
	{
		if (*s == '\'' || *s == '\\')
			appendStringInfoChar(&buf, *s);
		appendStringInfoChar(&buf, *s);
	}
	appendStringInfoChar(&buf, '\'');
	return buf.data;
}

/* TEXT of at least bytes bytes (-1: any): the smallest that holds them. */
static char *
text_kind(int64 bytes, const char *what)
{
	int			which;

	if (bytes < 0 || bytes > 16777215)
		which = 3;
	else
		lob_of_bytes((unsigned long) bytes, &which);
	return psprintf("%s%s", which == 0 ? "TINY" : which == 1 ? "" : which == 2 ? "MEDIUM" : "LONG",
					what);
}

#define MY_KIND "mysql"
/* The longest VARCHAR of utf8mb4 characters in a row of at most 65535 bytes. */
#define MY_VARCHAR_MAX 16383

static char *
my_type_of(const DsColumn *col, const DsType *t, bool key, DsDialect dialect)
{
	const char *u = t->is_unsigned ? " UNSIGNED" : "";

	switch (t->cls)
	{
		case DS_TYPE_BOOL:
			return "TINYINT(1)";
		case DS_TYPE_INT8:
			return psprintf("TINYINT%s", u);
		case DS_TYPE_INT16:
			return psprintf("SMALLINT%s", u);
		case DS_TYPE_INT24:
			return psprintf("MEDIUMINT%s", u);
		case DS_TYPE_INT32:
			return psprintf("INT%s", u);
		case DS_TYPE_INT64:
			return psprintf("BIGINT%s", u);
		case DS_TYPE_INT128:
			return "DECIMAL(39,0)";
		case DS_TYPE_NUMERIC:
			if (t->precision < 0)
			{
				ds_ddl_inexact(col, MY_KIND, "DECIMAL(65,30)",
							   "MySQL has no unbounded DECIMAL: values with more than 35 integer digits are refused, more than 30 decimals rounded.");
				return "DECIMAL(65,30)";
			}
			if (t->scale < 0)
			{
				/* a negative scale rounds to tens: the same values in DECIMAL(p - s, 0) */
				if (t->precision - t->scale > 65)
					ds_ddl_unmappable(col, MY_KIND, "MySQL's DECIMAL has at most 65 digits.", NULL);
				return psprintf("DECIMAL(%d,0)", t->precision - t->scale);
			}
			if (t->precision > 65 || t->scale > 30)
				ds_ddl_unmappable(col, MY_KIND,
								  "MySQL's DECIMAL has at most 65 digits, 30 of them after the point.",
								  NULL);
			return psprintf("DECIMAL(%d,%d)", Max(t->precision, 1), t->scale);
		case DS_TYPE_FLOAT4:
			return "FLOAT";
		case DS_TYPE_FLOAT8:
			return "DOUBLE";
		case DS_TYPE_CHAR:
			if (t->length >= 0 && t->length <= 255)
				return psprintf("CHAR(%d)", Max(t->length, 1));
			/* FALLTHROUGH */
		case DS_TYPE_VARCHAR:
			if (t->length >= 0 && t->length <= MY_VARCHAR_MAX)
				return psprintf("VARCHAR(%d)", t->length);
			if (key)
			{
				ds_ddl_inexact(col, MY_KIND, "VARCHAR(768)",
							   "A key column cannot be TEXT on MySQL, and 768 utf8mb4 characters are the longest an InnoDB key holds: longer values are refused.");
				return "VARCHAR(768)";
			}
			return text_kind(t->length < 0 ? -1 : (int64) t->length * 4, "TEXT");
		case DS_TYPE_TEXT:
			if (key)
			{
				ds_ddl_inexact(col, MY_KIND, "VARCHAR(768)",
							   "A key column cannot be TEXT on MySQL, and 768 utf8mb4 characters are the longest an InnoDB key holds: longer values are refused.");
				return "VARCHAR(768)";
			}
			return text_kind(t->length, "TEXT");
		case DS_TYPE_BINARY:
			if (t->length >= 0 && t->length <= 255)
				return psprintf("BINARY(%d)", Max(t->length, 1));
			/* FALLTHROUGH */
		case DS_TYPE_VARBINARY:
			if (t->length >= 0 && t->length <= (key ? 3072 : 65532))
				return psprintf("VARBINARY(%d)", t->length);
			/* FALLTHROUGH */
		case DS_TYPE_BLOB:
			if (key)
			{
				ds_ddl_inexact(col, MY_KIND, "VARBINARY(3072)",
							   "A key column cannot be a BLOB on MySQL, and 3072 bytes are the longest an InnoDB key holds: longer values are refused.");
				return "VARBINARY(3072)";
			}
			return text_kind(t->length, "BLOB");
		case DS_TYPE_DATE:
			return "DATE";
		case DS_TYPE_TIME:
			return psprintf("TIME(%d)", t->precision < 0 ? 6 : Min(t->precision, 6));
		case DS_TYPE_TIMESTAMP:
		case DS_TYPE_TIMESTAMPTZ:
			/* datastore's MySQL sessions are in UTC: an instant is its UTC time */
			return psprintf("DATETIME(%d)", t->precision < 0 ? 6 : Min(t->precision, 6));
		case DS_TYPE_YEAR:
			return "YEAR";
		case DS_TYPE_BIT:
			if (t->length >= 1 && t->length <= 64)
				return psprintf("BIT(%d)", t->length);
			ds_ddl_unmappable(col, MY_KIND, "MySQL's BIT has 1 to 64 bits.", NULL);
		case DS_TYPE_JSON:
			if (key)
				ds_ddl_unmappable(col, MY_KIND, "A JSON column cannot be a key on MySQL.",
								  "Give options->'key' other columns.");
			return "JSON";
		case DS_TYPE_ENUM:
			{
				StringInfoData buf;
				ListCell   *lc;

				if (t->labels == NIL)
					ds_ddl_unmappable(col, MY_KIND, "MySQL's ENUM needs at least one label.", NULL);
				initStringInfo(&buf);
				appendStringInfoString(&buf, "ENUM(");
				foreach(lc, t->labels)
					appendStringInfo(&buf, "%s%s", foreach_current_index(lc) > 0 ? ", " : "",
									 my_literal(lfirst(lc)));
				appendStringInfoChar(&buf, ')');
				return buf.data;
			}
		case DS_TYPE_UUID:
			return "CHAR(36)";
		case DS_TYPE_ARRAY:
			if (key)
				ds_ddl_unmappable(col, MY_KIND, "MySQL has no arrays, and a JSON column cannot be a key.", NULL);
			ds_ddl_inexact(col, MY_KIND, "JSON",
						   "MySQL has no arrays: the values are JSON arrays there, as the loads write them.");
			return "JSON";
		case DS_TYPE_INTERVAL:
			ds_ddl_unmappable(col, MY_KIND, "MySQL has no interval type.",
							  "Make the source a query that turns the interval into a number of seconds or into text.");
		case DS_TYPE_OTHER:
			if (dialect == DS_DIALECT_MYSQL)
				return t->spelling;
			break;
	}
	ds_ddl_unmappable(col, MY_KIND, "MySQL has no type for it.", NULL);
}

static bool
in_key(const DsSchema *schema, const char *name)
{
	ListCell   *lc;

	foreach(lc, schema->key)
		if (strcmp(lfirst(lc), name) == 0)
			return true;
	return false;
}

char *
ds_mysql_create_table_sql(DsPool *pool, const char *target, const DsSchema *schema,
						  const DsDdlOptions *opts)
{
	StringInfoData sql;
	char	   *db;
	char	   *table;
	ListCell   *lc;

	ds_ddl_options_unused(opts, MY_KIND);
	ds_split_qualified(target, &db, &table);
	ds_ddl_check_name(table, "the target table");
	if (db)
		ds_ddl_check_name(db, "the target's database");
	initStringInfo(&sql);
	appendStringInfo(&sql, "CREATE TABLE %s", opts->if_not_exists ? "IF NOT EXISTS " : "");
	if (db)
		appendStringInfo(&sql, "%s.", ds_my_quote_ident(db));
	appendStringInfo(&sql, "%s (", ds_my_quote_ident(table));
	foreach(lc, schema->columns)
	{
		DsColumn   *col = lfirst(lc);

		appendStringInfo(&sql, "%s\n    %s %s %s", foreach_current_index(lc) > 0 ? "," : "",
						 ds_my_quote_ident(col->name),
						 my_type_of(col, &col->type, in_key(schema, col->name), schema->dialect),
						 col->nullable ? "NULL" : "NOT NULL");
	}
	if (schema->key != NIL)
	{
		appendStringInfoString(&sql, ",\n    PRIMARY KEY (");
		foreach(lc, schema->key)
			appendStringInfo(&sql, "%s%s", foreach_current_index(lc) > 0 ? ", " : "",
							 ds_my_quote_ident(lfirst(lc)));
		appendStringInfoChar(&sql, ')');
	}
	/* binary collation: keys and comparisons as exact as PostgreSQL's */
	appendStringInfoString(&sql, "\n) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin");
	return sql.data;
}
