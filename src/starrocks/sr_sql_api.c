/*
 * sr_sql_api.c
 *		StarRocks over HTTP: the SQL API (/api/v1/catalogs/.../sql), whose
 *		answer streams one JSON object per line into the tuplestore as it
 *		arrives, and the state of a load label (/api/{db}/get_load_state).
 */
#include "postgres.h"

#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"

#include "core/jsonb_row.h"
#include "core/progress.h"
#include "core/settings.h"
#include "starrocks/sr_answer.h"
#include "starrocks/sr_http.h"
#include "starrocks/starrocks.h"

/* ---- load state ---- */

char *
ds_sr_load_state(DsPool *pool, const char *label)
{
	DsHttpRequest req = {0};
	DsHttpResponse resp;
	DsJsonItems obj;
	char	   *state = NULL;
	char	   *url;

	if (pool->store->database == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("datastore \"%s\" has no database to look the label up in", pool->name)));
	ds_sr_check_name(pool, "database", pool->store->database);
	url = ds_sr_fe_url(pool, ds_sr_load_state_path(pool->store->database, label));
	req.method = "GET";
	req.url = url;
	ds_sr_set_auth_tls(pool, &req);
	ds_http_perform(ds_sr_client(pool), &req, &resp, pool->name);
	if (resp.status != 200)
		ds_sr_http_failed(pool, "get_load_state", url, &resp);
	if (ds_sr_parse_answer(resp.body.data, resp.body.len, &obj))
		state = ds_sr_load_state_of(&obj, GetDatabaseEncoding());
	if (state == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("get_load_state on datastore \"%s\" gave no state", pool->name),
				 errdetail("%s answered: %s", url, ds_sr_excerpt(resp.body.data, resp.body.len))));
	return state;
}

/* ---- HTTP SQL API ---- */

typedef struct SqlStream
{
	DsPool	   *pool;
	Tuplestorestate *ts;
	TupleDesc	tsdesc;
	DsLineSplitter lines;
	DsJsonbKeys *keys;			/* from the meta line */
	JsonbValue *keyvals;
	int			ncolumns;
	JsonbValue *values;
	bool		statistics;		/* the closing line arrived */
	bool		failed;			/* an object other than rows arrived */
	char	   *failure;		/* its message */
	MemoryContext cxt;			/* lives for the whole query */
	MemoryContext rowcxt;		/* reset after every line */
} SqlStream;

static void
put_row(SqlStream *st, Jsonb *row)
{
	Datum		d = JsonbPGetDatum(row);
	bool		isnull = false;

	tuplestore_putvalues(st->ts, st->tsdesc, &d, &isnull);
	ds_progress_add(1, VARSIZE(row));
}

/* StarRocks' limit on the columns of a table; no answer has more. */
#define DS_SR_MAX_COLUMNS 10000

static void
set_meta(SqlStream *st, DsSrLine *line)
{
	MemoryContext old;

	/* One statement, one description of its rows. */
	if (st->keys != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("HTTP SQL answer of datastore \"%s\" describes its rows twice", st->pool->name)));
	if (line->ncolumns > DS_SR_MAX_COLUMNS)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("HTTP SQL answer of datastore \"%s\" has %d columns", st->pool->name,
						line->ncolumns)));
	old = MemoryContextSwitchTo(st->cxt);

	st->ncolumns = line->ncolumns;
	st->keyvals = palloc(sizeof(JsonbValue) * Max(st->ncolumns, 1));
	st->values = palloc(sizeof(JsonbValue) * Max(st->ncolumns, 1));
	for (int i = 0; i < st->ncolumns; i++)
	{
		char	   *name = pstrdup(line->names[i]);

		ds_jsonb_set_string(&st->keyvals[i], name, strlen(name));
	}
	st->keys = ds_jsonb_keys_create(st->keyvals, st->ncolumns);
	MemoryContextSwitchTo(old);
}

/* One value of a data line as jsonb; nested JSON stays nested. */
static void
item_to_value(DsJsonItem *item, JsonbValue *v)
{
	switch (item->kind)
	{
		case DS_PARAM_NULL:
			v->type = jbvNull;
			break;
		case DS_PARAM_STRING:
			ds_jsonb_set_string(v, item->text, item->len);
			break;
		case DS_PARAM_NUMBER:
			ds_jsonb_set_number_text(v, item->text, item->len);
			break;
		case DS_PARAM_BOOL:
			v->type = jbvBool;
			v->val.boolean = item->text[0] == 't';
			break;
		case DS_PARAM_JSON:
			ds_jsonb_to_value(DatumGetJsonbP(DirectFunctionCall1(jsonb_in,
																 CStringGetDatum(pnstrdup(item->text, item->len)))),
							  v);
			break;
	}
}

/* [v1, v2, ...]: one row keyed by the meta names. */
static void
put_array_row(SqlStream *st, DsJsonItems *values)
{
	if (st->keys == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("HTTP SQL answer of datastore \"%s\" has data before meta", st->pool->name)));
	if (values->count != st->ncolumns)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("HTTP SQL answer of datastore \"%s\" has %d values for %d columns",
						st->pool->name, values->count, st->ncolumns)));
	for (int i = 0; i < values->count; i++)
		item_to_value(&values->items[i], &st->values[i]);
	put_row(st, ds_jsonb_keys_build(st->keys, st->values));
}

/* SHOW answers carry their rows as objects (or arrays) inside the meta line. */
static void
put_show_rows(SqlStream *st, DsJsonItems *rows)
{
	for (int i = 0; i < rows->count; i++)
	{
		DsJsonItem *row = &rows->items[i];
		DsJsonItems values;
		char	   *error;

		if (row->kind != DS_PARAM_JSON)
			continue;
		if (row->text[0] == '{')
			put_row(st, DatumGetJsonbP(DirectFunctionCall1(jsonb_in,
														   CStringGetDatum(pnstrdup(row->text, row->len)))));
		else if (ds_json_scan(row->text, row->len, GetDatabaseEncoding(), DS_JSON_ARRAY,
							  &values, &error))
			put_array_row(st, &values);
	}
}

/* DsLineFn: one line of the answer, in the per-line context. */
static void
handle_line(void *arg, const char *data, int len)
{
	SqlStream  *st = (SqlStream *) arg;
	MemoryContext old = MemoryContextSwitchTo(st->rowcxt);
	DsSrLine	line;
	char	   *text;
	int			textlen;

	if (!ds_sr_network_text(data, len, &text, &textlen))
		ereport(ERROR,
				(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
				 errmsg("HTTP SQL answer of datastore \"%s\" is not valid UTF-8", st->pool->name),
				 errdetail("Line: %s", ds_sr_excerpt(data, len))));
	ds_sr_line_parse(text, textlen, GetDatabaseEncoding(), &line);
	switch (line.kind)
	{
		case DS_SR_LINE_BLANK:
		case DS_SR_LINE_CONNECTION:
			break;
		case DS_SR_LINE_INVALID:
			ereport(ERROR,
					(errcode(ERRCODE_FDW_ERROR),
					 errmsg("HTTP SQL answer of datastore \"%s\" has a line that is not understood: %s",
							st->pool->name, line.error),
					 errdetail("Line: %s", ds_sr_excerpt(text, textlen))));
			break;
		case DS_SR_LINE_META:
			set_meta(st, &line);
			put_show_rows(st, &line.rows);
			break;
		case DS_SR_LINE_DATA:
			put_array_row(st, &line.values);
			break;
		case DS_SR_LINE_STATISTICS:
			break;
		case DS_SR_LINE_FAILURE:
			st->failed = true;
			if (line.message && st->failure == NULL)
				st->failure = MemoryContextStrdup(st->cxt, line.message);
			break;
	}
	if (line.statistics)
		st->statistics = true;
	MemoryContextSwitchTo(old);
	MemoryContextReset(st->rowcxt);
}

/* DsHttpSink: splits the stream into lines as it arrives. */
static void
sql_sink(void *arg, const char *data, size_t len)
{
	SqlStream  *st = (SqlStream *) arg;

	ds_lines_feed(&st->lines, data, len, handle_line, st);
	if (st->lines.too_long)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("HTTP SQL answer of datastore \"%s\" has a line longer than %zu kB",
						st->pool->name, st->lines.max_line / 1024),
				 errhint("datastore.http_max_response_size bounds each line of the answer.")));
}

void
ds_sr_http_query(DsPool *pool, const char *sql, Tuplestorestate *ts, TupleDesc tsdesc)
{
	DsHttpRequest req = {0};
	DsHttpResponse resp;
	SqlStream  *st = palloc0(sizeof(SqlStream));
	char	   *catalog = ds_sr_option_text(pool->store->options, "catalog");
	Jsonb	   *vars = ds_sr_option(pool->store->options, "session_variables");
	StringInfoData body;
	char	   *url;
	if (catalog == NULL)
		catalog = "default_catalog";
	ds_sr_check_name(pool, "catalog", catalog);
	if (pool->store->database)
		ds_sr_check_name(pool, "database", pool->store->database);
	if (pool->store->database)
		url = ds_sr_fe_url(pool, psprintf("/api/v1/catalogs/%s/databases/%s/sql",
									ds_sr_url_escape(catalog), ds_sr_url_escape(pool->store->database)));
	else
		url = ds_sr_fe_url(pool, psprintf("/api/v1/catalogs/%s/sql", ds_sr_url_escape(catalog)));

	initStringInfo(&body);
	appendStringInfoString(&body, "{\"query\": ");
	escape_json(&body, sql);
	if (vars)
		appendStringInfo(&body, ", \"sessionVariables\": %s",
						 JsonbToCString(NULL, &vars->root, VARSIZE(vars)));
	appendStringInfoChar(&body, '}');

	st->pool = pool;
	st->cxt = CurrentMemoryContext;
	st->ts = ts;
	st->tsdesc = tsdesc;
	ds_lines_init(&st->lines, (size_t) ds_http_max_response_kb * 1024);
	st->rowcxt = AllocSetContextCreate(CurrentMemoryContext, "datastore http rows",
									   ALLOCSET_DEFAULT_SIZES);
	req.method = "POST";
	req.url = url;
	ds_sr_set_auth_tls(pool, &req);
	req.headers = list_make1("Content-Type: application/json");
	req.body = body.data;
	req.body_len = body.len;
	req.sink = sql_sink;
	req.sink_arg = st;
	ds_http_perform(ds_sr_client(pool), &req, &resp, pool->name);
	ds_lines_finish(&st->lines, handle_line, st);

	if (resp.status != 200 || st->failed)
	{
		char	   *msg = st->failure;

		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("HTTP SQL query on datastore \"%s\" failed%s%s",
						pool->name, msg ? ": " : "", msg ? msg : ""),
				 errdetail("HTTP %ld from %s", resp.status, url)));
	}
	/* A failure after rows began only closes the stream: never a short result. */
	if (!st->statistics)
		ereport(ERROR,
				(errcode(ERRCODE_CONNECTION_FAILURE),
				 errmsg("HTTP SQL answer of datastore \"%s\" ended before its statistics line",
						pool->name),
				 errdetail("The result is incomplete; the server broke off the stream.")));
	MemoryContextDelete(st->rowcxt);
}
