/*
 * pg_schema.c
 *		PostgreSQL's types in the neutral column model (see pg_schema.h).
 *
 * Types are known by OID, which is this server's knowledge: a remote
 * server's built-in types have the same OIDs as ours (they are fixed at
 * initdb from the same catalog), its other types (enums, domains, types of
 * extensions) do not, so they are read by name from its catalog instead.
 * A domain is described as its base type, which is what its values are.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/transam.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/catcache.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#include "core/jsonb_row.h"
#include "core/pg_schema.h"

/* b is the type, or a domain's base type; t the column's own type. */
#define BASE_TYPE_JOIN \
	" JOIN pg_catalog.pg_type b ON b.oid OPERATOR(pg_catalog.=)" \
	"      CASE WHEN t.typtype OPERATOR(pg_catalog.=) 'd' THEN t.typbasetype ELSE t.oid END"
#define TYPE_COLUMNS(typmod) \
	" b.oid::pg_catalog.int8 AS type_oid," \
	" CASE WHEN t.typtype OPERATOR(pg_catalog.=) 'd' THEN t.typtypmod ELSE " typmod " END AS typmod," \
	" b.typtype::pg_catalog.text AS typtype," \
	" b.typcategory::pg_catalog.text AS category," \
	" (SELECT pg_catalog.jsonb_agg(e.enumlabel::pg_catalog.text ORDER BY e.enumsortorder)" \
	"    FROM pg_catalog.pg_enum e" \
	"   WHERE e.enumtypid OPERATOR(pg_catalog.=) CASE WHEN b.typcategory OPERATOR(pg_catalog.=) 'A'" \
	"         THEN b.typelem ELSE b.oid END) AS labels,"

const char *const ds_pg_describe_sql =
"SELECT a.attname::pg_catalog.text AS name,"
TYPE_COLUMNS("a.atttypmod")
" a.attnotnull AS notnull,"
" pg_catalog.format_type(a.atttypid, a.atttypmod) AS spelling,"
" (SELECT k.n FROM pg_catalog.pg_index i,"
"         pg_catalog.unnest(i.indkey::pg_catalog.int2[]) WITH ORDINALITY k(attnum, n)"
"   WHERE i.indrelid OPERATOR(pg_catalog.=) a.attrelid AND i.indisprimary"
"     AND k.attnum OPERATOR(pg_catalog.=) a.attnum) AS key_pos"
" FROM pg_catalog.pg_attribute a"
" JOIN pg_catalog.pg_type t ON t.oid OPERATOR(pg_catalog.=) a.atttypid"
BASE_TYPE_JOIN
" WHERE a.attrelid OPERATOR(pg_catalog.=) pg_catalog.to_regclass($1)::pg_catalog.oid"
" AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped"
" ORDER BY a.attnum";

const char *const ds_pg_type_sql =
"SELECT"
TYPE_COLUMNS("$2::pg_catalog.int4")
" pg_catalog.format_type(t.oid, $2::pg_catalog.int4) AS spelling"
" FROM pg_catalog.pg_type t"
BASE_TYPE_JOIN
" WHERE t.oid OPERATOR(pg_catalog.=) $1::pg_catalog.oid";

bool
ds_pg_type_is_builtin(Oid typid)
{
	return typid < FirstGenbkiObjectId;
}

static int
enum_order_cmp(const void *a, const void *b)
{
	float4		x = ((Form_pg_enum) GETSTRUCT(*(HeapTuple const *) a))->enumsortorder;
	float4		y = ((Form_pg_enum) GETSTRUCT(*(HeapTuple const *) b))->enumsortorder;

	return (x > y) - (x < y);
}

/* A local enum's labels, in their order. */
static List *
enum_labels(Oid typid)
{
	CatCList   *list = SearchSysCacheList1(ENUMTYPOIDNAME, ObjectIdGetDatum(typid));
	HeapTuple  *items = palloc(sizeof(HeapTuple) * Max(list->n_members, 1));
	List	   *labels = NIL;

	for (int i = 0; i < list->n_members; i++)
		items[i] = &list->members[i]->tuple;
	qsort(items, list->n_members, sizeof(HeapTuple), enum_order_cmp);
	for (int i = 0; i < list->n_members; i++)
		labels = lappend(labels,
						 pstrdup(NameStr(((Form_pg_enum) GETSTRUCT(items[i]))->enumlabel)));
	ReleaseSysCacheList(list);
	return labels;
}

/* numeric's typmod: precision in the high half, scale (signed, 11 bits) low. */
static void
numeric_bounds(DsType *t, int32 typmod)
{
	if (typmod < (int32) VARHDRSZ)
		return;
	t->precision = ((typmod - VARHDRSZ) >> 16) & 0xffff;
	t->scale = ((((typmod - VARHDRSZ) & 0x7ff) ^ 1024) - 1024);
}

void
ds_pg_type(DsType *t, Oid typid, int32 typmod, bool remote, const char *spelling)
{
	memset(t, 0, sizeof(*t));
	t->length = -1;
	t->precision = -1;
	t->spelling = pstrdup(spelling ? spelling :
						  (remote && !ds_pg_type_is_builtin(typid)) ? "?" :
						  format_type_with_typemod(typid, typmod));
	switch (typid)
	{
		case BOOLOID:
			t->cls = DS_TYPE_BOOL;
			break;
		case INT2OID:
			t->cls = DS_TYPE_INT16;
			break;
		case INT4OID:
			t->cls = DS_TYPE_INT32;
			break;
		case INT8OID:
			t->cls = DS_TYPE_INT64;
			break;
		case NUMERICOID:
			t->cls = DS_TYPE_NUMERIC;
			numeric_bounds(t, typmod);
			break;
		case FLOAT4OID:
			t->cls = DS_TYPE_FLOAT4;
			break;
		case FLOAT8OID:
			t->cls = DS_TYPE_FLOAT8;
			break;
		case BPCHAROID:
			/* bpchar without a length is unbounded text */
			t->cls = typmod >= (int32) VARHDRSZ ? DS_TYPE_CHAR : DS_TYPE_TEXT;
			if (typmod >= (int32) VARHDRSZ)
				t->length = typmod - VARHDRSZ;
			break;
		case VARCHAROID:
			t->cls = DS_TYPE_VARCHAR;
			if (typmod >= (int32) VARHDRSZ)
				t->length = typmod - VARHDRSZ;
			break;
		case TEXTOID:
			t->cls = DS_TYPE_TEXT;
			break;
		case NAMEOID:
			t->cls = DS_TYPE_VARCHAR;
			t->length = NAMEDATALEN - 1;
			break;
		case CHAROID:
			t->cls = DS_TYPE_CHAR;
			t->length = 1;
			break;
		case BYTEAOID:
			t->cls = DS_TYPE_BLOB;
			break;
		case DATEOID:
			t->cls = DS_TYPE_DATE;
			break;
		case TIMEOID:
		case TIMESTAMPOID:
		case TIMESTAMPTZOID:
			t->cls = typid == TIMEOID ? DS_TYPE_TIME :
				typid == TIMESTAMPOID ? DS_TYPE_TIMESTAMP : DS_TYPE_TIMESTAMPTZ;
			if (typmod >= 0)
				t->precision = typmod;
			break;
		case INTERVALOID:
			t->cls = DS_TYPE_INTERVAL;
			break;
		case JSONOID:
			t->cls = DS_TYPE_JSON;
			break;
		case JSONBOID:
			t->cls = DS_TYPE_JSON;
			t->jsonb = true;
			break;
		case UUIDOID:
			t->cls = DS_TYPE_UUID;
			break;
		case BITOID:
			t->cls = DS_TYPE_BIT;
			t->length = typmod > 0 ? typmod : 1;
			break;
		default:
			t->cls = DS_TYPE_OTHER;
			if (remote && !ds_pg_type_is_builtin(typid))
				break;
			if (type_is_array(typid) && get_array_type(get_element_type(typid)) == typid)
			{
				t->cls = DS_TYPE_ARRAY;
				t->element = palloc(sizeof(DsType));
				ds_pg_type(t->element, get_element_type(typid), typmod, remote, NULL);
			}
			else if (!remote && type_is_enum(typid))
			{
				t->cls = DS_TYPE_ENUM;
				t->labels = enum_labels(typid);
			}
			break;
	}
}

/* The strings of a JSON array member (an enum's labels). */
static List *
json_strings(Jsonb *row, const char *key)
{
	JsonbValue *v = ds_jsonb_member(row, key);
	List	   *out = NIL;
	JsonbIterator *it;
	JsonbValue	elem;
	JsonbIteratorToken tok;

	if (v == NULL || v->type != jbvBinary)
		return NIL;
	it = JsonbIteratorInit(v->val.binary.data);
	while ((tok = JsonbIteratorNext(&it, &elem, true)) != WJB_DONE)
		if (tok == WJB_ELEM && elem.type == jbvString)
			out = lappend(out, pnstrdup(elem.val.string.val, elem.val.string.len));
	return out;
}

static int
key_pos_cmp(const ListCell *a, const ListCell *b)
{
	const int64 *x = lfirst(a);
	const int64 *y = lfirst(b);

	return (x[0] > y[0]) - (x[0] < y[0]);
}

void
ds_pg_type_from_row(DsType *t, Jsonb *row, bool remote)
{
	int64		oid = ds_row_int(row, "type_oid", -1);
	int64		typmod = ds_row_int(row, "typmod", -1);
	char	   *spelling = ds_row_text(row, "spelling");
	char	   *typtype = ds_row_text(row, "typtype");
	char	   *category = ds_row_text(row, "category");

	if (oid <= 0 || oid > PG_UINT32_MAX || typmod < PG_INT32_MIN || typmod > PG_INT32_MAX ||
		spelling == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("the store's catalog answered a column without a usable type")));
	ds_pg_type(t, (Oid) oid, (int32) typmod, remote, spelling);
	if (t->cls == DS_TYPE_OTHER)
	{
		/* another server's enum, or array of one: known by its labels */
		List	   *labels = json_strings(row, "labels");

		if (typtype && strcmp(typtype, "e") == 0)
		{
			t->cls = DS_TYPE_ENUM;
			t->labels = labels;
		}
		else if (category && strcmp(category, "A") == 0 && labels != NIL)
		{
			t->cls = DS_TYPE_ARRAY;
			t->element = palloc0(sizeof(DsType));
			t->element->cls = DS_TYPE_ENUM;
			t->element->labels = labels;
			t->element->length = -1;
			t->element->precision = -1;
			t->element->spelling = strlen(spelling) > 2 ?
				pnstrdup(spelling, strlen(spelling) - 2) : spelling;
		}
	}
}

DsSchema *
ds_pg_schema_from_rows(List *rows, bool remote)
{
	DsSchema   *schema = palloc0(sizeof(DsSchema));
	List	   *keys = NIL;
	ListCell   *lc;

	schema->dialect = DS_DIALECT_POSTGRES;
	foreach(lc, rows)
	{
		Jsonb	   *row = lfirst(lc);
		char	   *name = ds_row_text(row, "name");
		int64		key_pos = ds_row_int(row, "key_pos", 0);
		DsColumn   *col;

		if (name == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_ERROR),
					 errmsg("the store's catalog answered a column without a name")));
		col = ds_column_new(name, DS_TYPE_OTHER, NULL);
		ds_pg_type_from_row(&col->type, row, remote);
		col->nullable = !ds_row_bool(row, "notnull");
		if (key_pos > 0)
		{
			int64	   *k = palloc(sizeof(int64) * 2);

			k[0] = key_pos;
			k[1] = (int64) list_length(schema->columns);
			keys = lappend(keys, k);
		}
		schema->columns = lappend(schema->columns, col);
	}
	list_sort(keys, key_pos_cmp);
	foreach(lc, keys)
	{
		int64	   *k = lfirst(lc);

		schema->key = lappend(schema->key,
							  ((DsColumn *) list_nth(schema->columns, (int) k[1]))->name);
	}
	return schema;
}

/* A precision for time types: none (the server's default of 6) or (p). */
static const char *
fsp(int32 precision)
{
	return precision < 0 ? "" : psprintf("(%d)", Min(precision, 6));
}

/* The PostgreSQL type for t; NULL labels: no CHECK to add. */
static char *
pg_type_of(const DsColumn *col, const DsType *t, bool pg_source, const char *kind,
		   bool in_array)
{
	switch (t->cls)
	{
		case DS_TYPE_BOOL:
			return "boolean";
		case DS_TYPE_INT8:
			return "smallint";
		case DS_TYPE_INT16:
			return t->is_unsigned ? "integer" : "smallint";
		case DS_TYPE_INT24:
			return "integer";
		case DS_TYPE_INT32:
			return t->is_unsigned ? "bigint" : "integer";
		case DS_TYPE_INT64:
			return t->is_unsigned ? "numeric(20,0)" : "bigint";
		case DS_TYPE_INT128:
			return "numeric(39,0)";
		case DS_TYPE_NUMERIC:
			if (t->precision < 0)
				return "numeric";
			if (t->precision > 1000 || t->precision < 1)
				ds_ddl_unmappable(col, kind, "PostgreSQL's numeric has 1 to 1000 digits of precision.",
								  NULL);
			return psprintf("numeric(%d,%d)", t->precision, t->scale);
		case DS_TYPE_FLOAT4:
			return "real";
		case DS_TYPE_FLOAT8:
			return "double precision";
		case DS_TYPE_CHAR:
			if (t->length < 1 || t->length > 10485760)
				return "text";
			return psprintf("character(%d)", t->length);
		case DS_TYPE_VARCHAR:
			if (t->length < 1 || t->length > 10485760)
				return "character varying";
			return psprintf("character varying(%d)", t->length);
		case DS_TYPE_TEXT:
			return "text";
		case DS_TYPE_BINARY:
		case DS_TYPE_VARBINARY:
		case DS_TYPE_BLOB:
			return "bytea";
		case DS_TYPE_DATE:
			return "date";
		case DS_TYPE_TIME:
			return psprintf("time%s without time zone", fsp(t->precision));
		case DS_TYPE_TIMESTAMP:
			return psprintf("timestamp%s without time zone", fsp(t->precision));
		case DS_TYPE_TIMESTAMPTZ:
			return psprintf("timestamp%s with time zone", fsp(t->precision));
		case DS_TYPE_INTERVAL:
			return pg_source ? t->spelling : "interval";
		case DS_TYPE_YEAR:
			return "smallint";
		case DS_TYPE_BIT:
			return psprintf("bit(%d)", Max(t->length, 1));
		case DS_TYPE_JSON:
			/* MySQL's and StarRocks' JSON is parsed and normalized, as jsonb is */
			return (t->jsonb || !pg_source) ? "jsonb" : "json";
		case DS_TYPE_ENUM:
			if (in_array)
				ds_ddl_inexact(col, kind, "text[]",
							   "The labels of an array's enum are not checked on the target.");
			return "text";
		case DS_TYPE_UUID:
			return "uuid";
		case DS_TYPE_ARRAY:
			return psprintf("%s[]", pg_type_of(col, t->element, pg_source, kind, true));
		case DS_TYPE_OTHER:
			if (pg_source)
				return t->spelling;
			break;
	}
	ds_ddl_unmappable(col, kind, "PostgreSQL has no built-in type for it.", NULL);
}

char *
ds_pg_create_table_sql(const char *nsp, const char *rel, const DsSchema *schema,
					   const DsDdlOptions *opts, const char *target_kind)
{
	StringInfoData sql;
	StringInfoData checks;
	bool		pg_source = schema->dialect == DS_DIALECT_POSTGRES;
	ListCell   *lc;

	ds_ddl_options_unused(opts, target_kind);
	ds_ddl_check_name(rel, "the target table");
	if (nsp)
		ds_ddl_check_name(nsp, "the target's schema");
	initStringInfo(&sql);
	initStringInfo(&checks);
	appendStringInfo(&sql, "CREATE TABLE %s%s (", opts->if_not_exists ? "IF NOT EXISTS " : "",
					 nsp ? quote_qualified_identifier(nsp, rel) : quote_identifier(rel));
	foreach(lc, schema->columns)
	{
		DsColumn   *col = lfirst(lc);

		appendStringInfo(&sql, "%s\n    %s %s%s", foreach_current_index(lc) > 0 ? "," : "",
						 quote_identifier(col->name),
						 pg_type_of(col, &col->type, pg_source, target_kind, false),
						 col->nullable ? "" : " NOT NULL");
		/* an enum's labels stay the only values the column takes */
		if (col->type.cls == DS_TYPE_ENUM)
		{
			ListCell   *l;

			appendStringInfo(&checks, ",\n    CHECK (%s OPERATOR(pg_catalog.=) ANY (ARRAY[",
							 quote_identifier(col->name));
			foreach(l, col->type.labels)
				appendStringInfo(&checks, "%s%s", foreach_current_index(l) > 0 ? ", " : "",
								 quote_literal_cstr(lfirst(l)));
			appendStringInfoString(&checks, "]::pg_catalog.text[]))");
		}
	}
	appendStringInfoString(&sql, checks.data);
	if (schema->key != NIL)
	{
		appendStringInfoString(&sql, ",\n    PRIMARY KEY (");
		foreach(lc, schema->key)
			appendStringInfo(&sql, "%s%s", foreach_current_index(lc) > 0 ? ", " : "",
							 quote_identifier(lfirst(lc)));
		appendStringInfoChar(&sql, ')');
	}
	appendStringInfoString(&sql, "\n)");
	return sql.data;
}
