/*
 * starrocks.c
 *		StarRocks stores: HTTP stream load, the HTTP SQL API, load state,
 *		and the session variables every connection gets.
 *
 * Stream load follows the protocol as the FE and BE implement it: the FE
 * checks "Expect: 100-continue" and answers 307 with the BE's address,
 * without ever reading the body.  A streamed body cannot be sent twice, so
 * the redirect is resolved first with an empty probe, and the body then goes
 * once, chunked, straight to the BE, which checks the headers before it asks
 * for the body with "100 Continue".
 *
 * Only Success and Publish Timeout (committed, visible soon) are successes,
 * plus Label Already Exists for a label whose earlier load FINISHED (a retry
 * of a load that went through).  Everything else is an ERROR carrying the
 * server's Message, its ErrorURL and the first lines of that error log: a
 * caller can never mistake a failed load for a loaded one.
 *
 * Batches (options batch_rows / batch_bytes) are separate loads labelled
 * <label>-1, <label>-2, ...; the rows of each batch are decided by the data
 * alone, so retrying the whole call with the same label loads no row twice.
 */
#include "postgres.h"

#include "common/jsonapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "http.h"
#include "jsonb_row.h"
#include "load_encode.h"
#include "progress.h"
#include "starrocks.h"

/* ---- small helpers ---- */

static DsHttpClient *
client_of(DsPool *pool)
{
	if (pool->extra == NULL)
	{
		pool->extra = ds_http_client_create();
		pool->extra_free = ds_http_client_free;
	}
	return (DsHttpClient *) pool->extra;
}

/*
 * options->'ssl' for HTTP: require and the verify modes mean https
 * (require without checking the certificate, verify-ca without the host
 * name); disable and prefer mean http, which has no opportunistic TLS.
 */
static bool
use_https(DsPool *pool)
{
	DsTls		tls;

	ds_store_tls(pool->store, &tls);
	return tls.mode >= DS_TLS_REQUIRE;
}

static char *
fe_url(DsPool *pool, const char *path)
{
	return psprintf("%s://%s:%d%s", use_https(pool) ? "https" : "http",
					pool->store->host, pool->store->http_port, path);
}

/* Credentials and TLS settings, the same for every request to the store. */
static void
set_auth_tls(DsPool *pool, DsHttpRequest *req)
{
	DsTls		tls;

	ds_store_tls(pool->store, &tls);
	req->user = pool->store->user;
	req->password = pool->store->password;
	req->verify_peer = tls.mode >= DS_TLS_VERIFY_CA;
	req->verify_host = tls.mode == DS_TLS_VERIFY_FULL;
	req->ca = tls.ca;
	req->cert = tls.cert;
	req->key = tls.key;
}

/* Percent-encodes everything but unreserved characters. */
static char *
url_escape(const char *s)
{
	StringInfoData buf;

	initStringInfo(&buf);
	for (const unsigned char *p = (const unsigned char *) s; *p; p++)
	{
		if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.' || *p == '~')
			appendStringInfoChar(&buf, *p);
		else
			appendStringInfo(&buf, "%%%02X", *p);
	}
	return buf.data;
}

static void
split_target(DsPool *pool, const char *target, char **db, char **table)
{
	const char *dot = strchr(target, '.');

	if (dot)
	{
		*db = pnstrdup(target, dot - target);
		*table = pstrdup(dot + 1);
	}
	else
	{
		if (pool->store->database == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("target \"%s\" names no database and datastore \"%s\" has none",
							target, pool->name),
					 errhint("Write the target as db.table, or register the store with a database.")));
		*db = pstrdup(pool->store->database);
		*table = pstrdup(target);
	}
}

static JsonbValue *
find_member(Jsonb *jb, const char *key)
{
	JsonbValue	k;

	if (jb == NULL || !JB_ROOT_IS_OBJECT(jb))
		return NULL;
	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	return findJsonbValueFromContainer(&jb->root, JB_FOBJECT, &k);
}

/* A scalar as text (what a header or a status carries); NULL for others. */
static char *
scalar_text(JsonbValue *v)
{
	switch (v->type)
	{
		case jbvString:
			return pnstrdup(v->val.string.val, v->val.string.len);
		case jbvNumeric:
			return DatumGetCString(DirectFunctionCall1(numeric_out,
													   NumericGetDatum(v->val.numeric)));
		case jbvBool:
			return pstrdup(v->val.boolean ? "true" : "false");
		default:
			return NULL;
	}
}

/* A jsonb object's member as text (containers as JSON), or NULL. */
static char *
member_text(Jsonb *jb, const char *key)
{
	JsonbValue *v = find_member(jb, key);

	if (v == NULL || v->type == jbvNull)
		return NULL;
	if (v->type == jbvBinary)
		return JsonbToCString(NULL, v->val.binary.data, v->val.binary.len);
	return scalar_text(v);
}

static Jsonb *
member(Jsonb *jb, const char *key)
{
	JsonbValue *v = find_member(jb, key);

	return v ? JsonbValueToJsonb(v) : NULL;
}

/* Parses a response body as JSON; NULL if it is not JSON. */
static Jsonb *
parse_json(const char *text, int len)
{
	Jsonb	   *result = NULL;
	MemoryContext cxt = CurrentMemoryContext;

	if (len == 0)
		return NULL;
	/* A body that is not JSON is reported as such, not as a parse error. */
	PG_TRY();
	{
		result = DatumGetJsonbP(DirectFunctionCall1(jsonb_in,
													CStringGetDatum(pnstrdup(text, len))));
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(cxt);
		FlushErrorState();
		result = NULL;
	}
	PG_END_TRY();
	return result;
}

static char *
excerpt(const char *s, int len)
{
	return pnstrdup(s, Min(len, 500));
}

/* Failure shapes of the FE and of the HTTP SQL API: msg / message / Message. */
static char *
server_message(Jsonb *jb)
{
	char	   *m = member_text(jb, "Message");

	if (m == NULL)
		m = member_text(jb, "msg");
	if (m == NULL)
		m = member_text(jb, "message");
	return m;
}

static void
pg_attribute_noreturn()
http_failed(DsPool *pool, const char *what, const char *url, DsHttpResponse *resp)
{
	Jsonb	   *jb = parse_json(resp->body.data, resp->body.len);
	char	   *msg = jb ? server_message(jb) : NULL;

	ereport(ERROR,
			(errcode(resp->status == 401 || resp->status == 403
					 ? ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION : ERRCODE_FDW_ERROR),
			 errmsg("%s on datastore \"%s\" failed with HTTP %ld%s%s",
					what, pool->name, resp->status, msg ? ": " : "", msg ? msg : ""),
			 errdetail("%s answered: %s", url, excerpt(resp->body.data, resp->body.len))));
}

/* ---- session variables ---- */

List *
ds_sr_session_statements(const DsStore *store, DsEscapeFn escape, void *arg)
{
	Jsonb	   *vars = member(store->options, "session_variables");
	List	   *stmts = NIL;
	JsonbIterator *it;
	JsonbValue	k;
	JsonbValue	v;
	JsonbIteratorToken tok;

	if (vars == NULL)
		return NIL;
	if (!JB_ROOT_IS_OBJECT(vars))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("options->'session_variables' of datastore \"%s\" must be a JSON object",
						store->name)));
	it = JsonbIteratorInit(&vars->root);
	while ((tok = JsonbIteratorNext(&it, &k, true)) != WJB_DONE)
	{
		char	   *name;
		char	   *value;

		if (tok != WJB_KEY)
			continue;
		JsonbIteratorNext(&it, &v, true);
		name = pnstrdup(k.val.string.val, k.val.string.len);
		for (char *p = name; *p; p++)
			if (!(isalnum((unsigned char) *p) || *p == '_' || *p == '.'))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("invalid session variable name \"%s\" for datastore \"%s\"",
								name, store->name)));
		switch (v.type)
		{
			case jbvNumeric:
				value = DatumGetCString(DirectFunctionCall1(numeric_out,
															NumericGetDatum(v.val.numeric)));
				break;
			case jbvBool:
				value = pstrdup(v.val.boolean ? "true" : "false");
				break;
			case jbvString:
				value = psprintf("'%s'", escape(arg, v.val.string.val, v.val.string.len));
				break;
			default:
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("session variable \"%s\" of datastore \"%s\" must be a string, number or boolean",
								name, store->name)));
		}
		stmts = lappend(stmts, psprintf("SET %s = %s", name, value));
	}
	return stmts;
}

/* ---- stream load ---- */

typedef enum LoadFormat
{
	FORMAT_CSV,
	FORMAT_JSON
} LoadFormat;

/* The options that shape the loads; the rest become stream-load headers. */
typedef struct SrLoadSpec
{
	char	   *label;
	LoadFormat	format;
	int64		batch_rows;		/* 0: no limit */
	int64		batch_bytes;
	List	   *headers;		/* "name: value" */
} SrLoadSpec;


static bool
valid_label(const char *label)
{
	int			n = 0;

	for (const char *p = label; *p; p++, n++)
		if (!(isalnum((unsigned char) *p) || *p == '_' || *p == '-'))
			return false;
	return n >= 1 && n <= 128;
}

static char *
generated_label(DsPool *pool)
{
	StringInfoData buf;
	static uint32 counter = 0;

	initStringInfo(&buf);
	appendStringInfoString(&buf, "datastore_");
	for (const char *p = pool->name; *p && buf.len < 60; p++)
		appendStringInfoChar(&buf, isalnum((unsigned char) *p) || *p == '_' ? *p : '_');
	appendStringInfo(&buf, "_" INT64_FORMAT "_%d_%u", (int64) GetCurrentTimestamp(),
					 MyProcPid, ++counter);
	return buf.data;
}

static bool
key_is(JsonbValue *k, const char *name)
{
	return k->val.string.len == (int) strlen(name) &&
		memcmp(k->val.string.val, name, k->val.string.len) == 0;
}

static void
read_spec(DsPool *pool, DsRowSource *src, const DsLoadOptions *opts, SrLoadSpec *spec)
{
	JsonbIterator *it;
	JsonbValue	k;
	JsonbValue	v;
	JsonbIteratorToken tok;
	bool		columns_given = false;

	memset(spec, 0, sizeof(*spec));
	if (opts->raw)
	{
		it = JsonbIteratorInit(&opts->raw->root);
		while ((tok = JsonbIteratorNext(&it, &k, true)) != WJB_DONE)
		{
			char	   *text;

			if (tok != WJB_KEY)
				continue;
			JsonbIteratorNext(&it, &v, true);
			text = scalar_text(&v);
			if (key_is(&k, "columns"))
			{
				columns_given = true;
				continue;
			}
			if (text == NULL)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("stream load option \"%.*s\" must be a string, number or boolean",
								k.val.string.len, k.val.string.val)));
			if (key_is(&k, "label"))
				spec->label = text;
			else if (key_is(&k, "format"))
			{
				if (pg_strcasecmp(text, "csv") == 0)
					spec->format = FORMAT_CSV;
				else if (pg_strcasecmp(text, "json") == 0)
					spec->format = FORMAT_JSON;
				else
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("stream load format must be csv or json, not \"%s\"", text)));
			}
			else if (key_is(&k, "batch_rows") || key_is(&k, "batch_bytes"))
			{
				char	   *end;
				long long	n = strtoll(text, &end, 10);

				if (*end != '\0' || n < 1)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("%.*s must be a positive integer",
									k.val.string.len, k.val.string.val)));
				if (key_is(&k, "batch_rows"))
					spec->batch_rows = n;
				else
					spec->batch_bytes = n;
			}
			else
			{
				/* Passed on as is: the server validates its own headers. */
				char	   *name = pnstrdup(k.val.string.val, k.val.string.len);

				for (char *p = name; *p; p++)
					if (!(isalnum((unsigned char) *p) || *p == '_' || *p == '-'))
						ereport(ERROR,
								(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
								 errmsg("invalid stream load header name \"%s\"", name)));
				if (strpbrk(text, "\r\n") != NULL)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("stream load header \"%s\" must not contain a line break", name)));
				spec->headers = lappend(spec->headers, psprintf("%s: %s", name, text));
			}
		}
	}
	if (spec->label == NULL)
		spec->label = generated_label(pool);
	if (!valid_label(spec->label) ||
		((spec->batch_rows || spec->batch_bytes) && strlen(spec->label) > 120))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid stream load label \"%s\"", spec->label),
				 errdetail("A label is 1 to 128 letters, digits, \"_\" or \"-\" (at most 120 with batches)."),
				 errhint("Leave the label out to have one generated.")));

	if (spec->format == FORMAT_JSON)
	{
		spec->headers = lappend(spec->headers, "format: json");
		spec->headers = lappend(spec->headers, "strip_outer_array: true");
	}
	else
	{
		/*
		 * Separators that text rarely holds, and enclose/escape for values
		 * that hold them anyway or are the text \N: every value round-trips,
		 * and a bare \N is NULL.
		 */
		spec->headers = lappend(spec->headers, "format: csv");
		spec->headers = lappend(spec->headers, "column_separator: \\x01");
		spec->headers = lappend(spec->headers, "row_delimiter: \\x02");
		spec->headers = lappend(spec->headers, "enclose: \"");
		spec->headers = lappend(spec->headers, "escape: \\");
	}
	if (spec->format == FORMAT_CSV || columns_given)
	{
		StringInfoData cols;

		initStringInfo(&cols);
		appendStringInfoString(&cols, "columns: ");
		for (int i = 0; i < src->row.ncolumns; i++)
		{
			if (strpbrk(src->row.columns[i], "`\r\n,") != NULL)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("column name \"%s\" cannot be sent in a stream load", src->row.columns[i])));
			appendStringInfo(&cols, "%s`%s`", i > 0 ? "," : "", src->row.columns[i]);
		}
		spec->headers = lappend(spec->headers, cols.data);
	}
}

/* The body of one batch, produced row by row from the source. */
typedef struct LoadBody
{
	DsRowSource *src;
	const SrLoadSpec *spec;
	bool		have_row;		/* src holds a row not yet encoded */
	bool		source_done;
	bool		batch_open;
	bool		batch_done;
	int64		batch_rows;
	int64		batch_bytes;
} LoadBody;

/* DsHttpProduce: one row per call; false once the batch is complete. */
static bool
produce_batch(void *arg, StringInfo buf)
{
	LoadBody   *b = (LoadBody *) arg;
	int			before = buf->len;

	if (b->batch_done)
		return false;
	if (!b->batch_open)
	{
		b->batch_open = true;
		if (b->spec->format == FORMAT_JSON)
			appendStringInfoChar(buf, '[');
	}
	if (b->have_row &&
		!(b->spec->batch_rows && b->batch_rows >= b->spec->batch_rows) &&
		!(b->spec->batch_bytes && b->batch_bytes >= b->spec->batch_bytes))
	{
		if (b->spec->format == FORMAT_JSON)
		{
			if (b->batch_rows > 0)
				appendStringInfoChar(buf, ',');
			ds_encode_json_row(buf, &b->src->row);
		}
		else
			ds_encode_sr_csv_row(buf, &b->src->row);
		b->batch_rows++;
		b->have_row = b->src->next(b->src);
		if (!b->have_row)
			b->source_done = true;
		b->batch_bytes += buf->len - before;
		ds_progress_add(0, buf->len - before);
		return true;
	}
	if (b->spec->format == FORMAT_JSON)
		appendStringInfoChar(buf, ']');
	b->batch_bytes += buf->len - before;
	ds_progress_add(0, buf->len - before);
	b->batch_done = true;
	return false;
}

/* The BE's address for this load, from the FE's 307. */
static char *
resolve_be(DsPool *pool, const char *url, List *headers)
{
	DsHttpRequest req = {0};
	DsHttpResponse resp;
	Jsonb	   *jb;

	req.method = "PUT";
	req.url = url;
	set_auth_tls(pool, &req);
	req.headers = headers;
	req.body = "";
	req.body_len = 0;
	ds_http_perform(client_of(pool), &req, &resp, pool->name);
	if ((resp.status == 307 || resp.status == 302 || resp.status == 301) && resp.redirect_url)
		return resp.redirect_url;
	if (resp.status != 200)
		http_failed(pool, "stream load", url, &resp);
	/* 200 from the FE is a failure shape: {"Status": "FAILED", ...}. */
	jb = parse_json(resp.body.data, resp.body.len);
	ereport(ERROR,
			(errcode(ERRCODE_FDW_ERROR),
			 errmsg("stream load on datastore \"%s\" was refused by the FE: %s",
					pool->name, jb && server_message(jb) ? server_message(jb) : "no redirect to a BE"),
			 errdetail("%s answered: %s", url, excerpt(resp.body.data, resp.body.len))));
	pg_unreachable();
}

/* The first lines of a load's error log, for the ERROR's detail. */
static char *
error_log_excerpt(DsPool *pool, const char *url)
{
	DsHttpRequest req = {0};
	DsHttpResponse resp;
	MemoryContext cxt = CurrentMemoryContext;
	char	   *result = NULL;

	req.method = "GET";
	req.url = url;
	set_auth_tls(pool, &req);
	/* Best effort: the load's own failure is the error to report. */
	PG_TRY();
	{
		ds_http_perform(client_of(pool), &req, &resp, pool->name);
		if (resp.status == 200)
		{
			int			lines = 0;
			int			i;

			for (i = 0; i < resp.body.len && lines < 5; i++)
				if (resp.body.data[i] == '\n')
					lines++;
			result = pnstrdup(resp.body.data, i);
		}
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(cxt);
		FlushErrorState();
	}
	PG_END_TRY();
	return result;
}

/* Judges one load's response; returns its JSON when it counts as done. */
static Jsonb *
judge_load(DsPool *pool, const char *label, int batch, const char *url, DsHttpResponse *resp)
{
	Jsonb	   *jb;
	char	   *status;

	if (resp->status != 200)
		http_failed(pool, "stream load", url, resp);
	jb = parse_json(resp->body.data, resp->body.len);
	if (jb == NULL || !JB_ROOT_IS_OBJECT(jb))
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("stream load \"%s\" on datastore \"%s\": the answer is not a JSON object",
						label, pool->name),
				 errdetail("%s answered: %s", url, excerpt(resp->body.data, resp->body.len)),
				 errhint("Check ds_load_state() before retrying with the same label.")));
	status = member_text(jb, "Status");
	if (status == NULL)
		status = member_text(jb, "status");
	if (status && strcmp(status, "Success") == 0)
		return jb;
	if (status && strcmp(status, "Publish Timeout") == 0)
	{
		ereport(WARNING,
				(errmsg("stream load \"%s\" on datastore \"%s\" is committed but not yet visible",
						label, pool->name),
				 errdetail("StarRocks answered Publish Timeout; the data will become visible.")));
		return jb;
	}
	if (status && strcmp(status, "Label Already Exists") == 0)
	{
		char	   *existing = member_text(jb, "ExistingJobStatus");

		if (existing && strcmp(existing, "FINISHED") == 0)
		{
			ereport(NOTICE,
					(errmsg("stream load label \"%s\" already loaded on datastore \"%s\"; nothing loaded again",
							label, pool->name)));
			return jb;
		}
		ereport(ERROR,
				(errcode(ERRCODE_UNIQUE_VIOLATION),
				 errmsg("stream load label \"%s\" on datastore \"%s\" is already in use (%s)",
						label, pool->name, existing ? existing : "state unknown"),
				 errdetail("%s", server_message(jb) ? server_message(jb) : ""),
				 errhint("An earlier load with this label is still running: wait, and check ds_load_state().")));
	}
	{
		char	   *error_url = member_text(jb, "ErrorURL");
		char	   *log = error_url ? error_log_excerpt(pool, error_url) : NULL;
		char	   *msg = server_message(jb);

		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("stream load \"%s\" on datastore \"%s\" failed: %s",
						label, pool->name, status ? status : "no status"),
				 errdetail("Message: %s%s%s%s%s Result: %s",
						   msg ? msg : "(none)",
						   error_url ? " ErrorURL: " : "", error_url ? error_url : "",
						   log ? " Error log: " : "", log ? log : "",
						   JsonbToCString(NULL, &jb->root, VARSIZE(jb))),
				 batch > 1
				 ? errhint("Nothing of this batch is visible; the %d batches before it are. Retrying the call with the same label loads the rest, each row once.",
						   batch - 1)
				 : errhint("Nothing of this load is visible. Fix the rows, or allow some with max_filter_ratio.")));
	}
	pg_unreachable();
}

static int64
member_int(Jsonb *jb, const char *key)
{
	char	   *t = member_text(jb, key);

	return t ? strtoll(t, NULL, 10) : 0;
}

Jsonb *
ds_sr_stream_load(DsPool *pool, const char *target, DsRowSource *src,
				  const DsLoadOptions *opts)
{
	SrLoadSpec	spec;
	LoadBody	body = {0};
	char	   *db;
	char	   *table;
	char	   *fe;
	bool		batched;
	int			batch = 0;
	List	   *results = NIL;
	StringInfoData discard;

	split_target(pool, target, &db, &table);
	read_spec(pool, src, opts, &spec);
	if (opts->max_filter_ratio > 0)
		spec.headers = lappend(spec.headers,
							   psprintf("max_filter_ratio: %g", opts->max_filter_ratio));
	batched = spec.batch_rows > 0 || spec.batch_bytes > 0;
	fe = fe_url(pool, psprintf("/api/%s/%s/_stream_load", url_escape(db), url_escape(table)));
	body.src = src;
	body.spec = &spec;
	body.have_row = src->next(src);
	body.source_done = !body.have_row;
	initStringInfo(&discard);
	if (!body.have_row)
	{
		DsLoadResult none = {.status = "Success", .message = "no rows to load"};

		src->close(src);
		return ds_load_result_jsonb(&none);
	}

	while (body.have_row)
	{
		char	   *label = batched ? psprintf("%s-%d", spec.label, batch + 1) : spec.label;
		List	   *headers = list_copy(spec.headers);
		DsHttpRequest req = {0};
		DsHttpResponse resp;
		char	   *be;

		batch++;
		ds_progress_set_label(label);
		headers = lappend(headers, psprintf("label: %s", label));
		headers = lappend(headers, "Expect: 100-continue");
		be = resolve_be(pool, fe, headers);

		body.batch_open = false;
		body.batch_done = false;
		body.batch_rows = 0;
		body.batch_bytes = 0;
		req.method = "PUT";
		req.url = be;
		set_auth_tls(pool, &req);
		req.headers = headers;
		req.produce = produce_batch;
		req.produce_arg = &body;
		ds_http_perform(client_of(pool), &req, &resp, pool->name);
		results = lappend(results, judge_load(pool, label, batched ? batch : 0, be, &resp));

		/*
		 * A BE that answered before reading the body (a label that already
		 * loaded) took none of this batch's rows: skip them, so the next
		 * batch starts where it did the first time.
		 */
		while (!body.batch_done)
		{
			resetStringInfo(&discard);
			produce_batch(&body, &discard);
		}
		if (!batched)
			break;
		CHECK_FOR_INTERRUPTS();
	}
	src->close(src);

	if (list_length(results) == 1)
		return linitial(results);
	{
		/* Several loads: their sums, and each server answer under "Loads". */
		DsJsonbObject obj;
		JsonbValue	k;
		JsonbValue	v;
		ListCell   *lc;
		int64		total = 0,
					loaded = 0,
					filtered = 0,
					bytes = 0,
					ms = 0;
		StringInfoData loads;
		Jsonb	   *loads_jb;

		initStringInfo(&loads);
		appendStringInfoChar(&loads, '[');
		foreach(lc, results)
		{
			Jsonb	   *r = lfirst(lc);

			total += member_int(r, "NumberTotalRows");
			loaded += member_int(r, "NumberLoadedRows");
			filtered += member_int(r, "NumberFilteredRows");
			bytes += member_int(r, "LoadBytes");
			ms += member_int(r, "LoadTimeMs");
			appendStringInfo(&loads, "%s%s", foreach_current_index(lc) > 0 ? "," : "",
							 JsonbToCString(NULL, &r->root, VARSIZE(r)));
		}
		appendStringInfoChar(&loads, ']');
		loads_jb = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(loads.data)));

		ds_jsonb_object_begin(&obj);
#define ADD_STR(key, s) \
	do { k.type = jbvString; k.val.string.val = key; k.val.string.len = strlen(key); \
		 ds_jsonb_set_string(&v, s, strlen(s)); ds_jsonb_object_add(&obj, &k, &v); } while (0)
#define ADD_INT(key, n) \
	do { k.type = jbvString; k.val.string.val = key; k.val.string.len = strlen(key); \
		 v.type = jbvNumeric; v.val.numeric = int64_to_numeric(n); ds_jsonb_object_add(&obj, &k, &v); } while (0)
		ADD_STR("Status", "Success");
		ADD_STR("Label", spec.label);
		ADD_INT("NumberTotalRows", total);
		ADD_INT("NumberLoadedRows", loaded);
		ADD_INT("NumberFilteredRows", filtered);
		ADD_INT("LoadBytes", bytes);
		ADD_INT("LoadTimeMs", ms);
		ADD_INT("NumberOfLoads", list_length(results));
		k.type = jbvString;
		k.val.string.val = "Loads";
		k.val.string.len = 5;
		ds_jsonb_to_value(loads_jb, &v);
		ds_jsonb_object_add(&obj, &k, &v);
#undef ADD_STR
#undef ADD_INT
		return ds_jsonb_object_finish(&obj);
	}
}

/* ---- load state ---- */

char *
ds_sr_load_state(DsPool *pool, const char *label)
{
	DsHttpRequest req = {0};
	DsHttpResponse resp;
	Jsonb	   *jb;
	char	   *state;
	char	   *url;

	if (pool->store->database == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("datastore \"%s\" has no database to look the label up in", pool->name)));
	url = fe_url(pool, psprintf("/api/%s/get_load_state?label=%s",
								url_escape(pool->store->database), url_escape(label)));
	req.method = "GET";
	req.url = url;
	set_auth_tls(pool, &req);
	ds_http_perform(client_of(pool), &req, &resp, pool->name);
	if (resp.status != 200)
		http_failed(pool, "get_load_state", url, &resp);
	jb = parse_json(resp.body.data, resp.body.len);
	state = member_text(jb, "state");
	if (state == NULL)
		state = member_text(member(jb, "data"), "state");
	if (state == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("get_load_state on datastore \"%s\" gave no state", pool->name),
				 errdetail("%s answered: %s", url, excerpt(resp.body.data, resp.body.len))));
	return state;
}

/* ---- HTTP SQL API ---- */

typedef struct SqlStream
{
	DsPool	   *pool;
	Tuplestorestate *ts;
	TupleDesc	tsdesc;
	StringInfoData pending;		/* an incomplete line */
	DsJsonbKeys *keys;			/* from the meta line */
	JsonbValue *keyvals;
	int			ncolumns;
	JsonbValue *values;
	bool		statistics;		/* the closing line arrived */
	Jsonb	   *failure;		/* a FAILED object instead of rows */
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

static void
set_meta(SqlStream *st, Jsonb *meta)
{
	JsonbIterator *it = JsonbIteratorInit(&meta->root);
	JsonbValue	v;
	JsonbIteratorToken tok;
	List	   *names = NIL;
	int			i = 0;
	MemoryContext old = MemoryContextSwitchTo(st->cxt);

	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok == WJB_ELEM && v.type == jbvBinary)
		{
			Jsonb	   *col = JsonbValueToJsonb(&v);
			char	   *name = member_text(col, "name");

			names = lappend(names, name ? name : psprintf("column%d", list_length(names) + 1));
		}
	}
	st->ncolumns = list_length(names);
	st->keyvals = palloc(sizeof(JsonbValue) * Max(st->ncolumns, 1));
	st->values = palloc(sizeof(JsonbValue) * Max(st->ncolumns, 1));
	{
		ListCell   *lc;

		foreach(lc, names)
			ds_jsonb_set_string(&st->keyvals[i++], lfirst(lc), strlen(lfirst(lc)));
	}
	st->keys = ds_jsonb_keys_create(st->keyvals, st->ncolumns);
	MemoryContextSwitchTo(old);
}

/* {"data": [v1, v2, ...]}: one row keyed by the meta names. */
static void
put_array_row(SqlStream *st, Jsonb *data)
{
	JsonbIterator *it = JsonbIteratorInit(&data->root);
	JsonbValue	v;
	JsonbIteratorToken tok;
	int			i = 0;

	if (st->keys == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("HTTP SQL answer of datastore \"%s\" has data before meta", st->pool->name)));
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok != WJB_ELEM)
			continue;
		if (i >= st->ncolumns)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_ERROR),
					 errmsg("HTTP SQL answer of datastore \"%s\" has more values than columns",
							st->pool->name)));
		st->values[i++] = v;
	}
	if (i != st->ncolumns)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("HTTP SQL answer of datastore \"%s\" has %d values for %d columns",
						st->pool->name, i, st->ncolumns)));
	put_row(st, ds_jsonb_keys_build(st->keys, st->values));
}

static void
handle_line(SqlStream *st, const char *line, int len)
{
	Jsonb	   *jb;
	Jsonb	   *part;

	while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' '))
		len--;
	if (len == 0)
		return;
	jb = parse_json(line, len);
	if (jb == NULL || !JB_ROOT_IS_OBJECT(jb))
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("HTTP SQL answer of datastore \"%s\" has a line that is not a JSON object",
						st->pool->name),
				 errdetail("Line: %s", excerpt(line, len))));
	if ((part = member(jb, "meta")) != NULL)
	{
		Jsonb	   *data = member(jb, "data");

		set_meta(st, part);
		/* SHOW: one object with meta, data (objects) and statistics. */
		if (data && JB_ROOT_IS_ARRAY(data))
		{
			JsonbIterator *it = JsonbIteratorInit(&data->root);
			JsonbValue	v;
			JsonbIteratorToken tok;

			while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
			{
				if (tok != WJB_ELEM)
					continue;
				if (v.type == jbvBinary && JsonContainerIsObject(v.val.binary.data))
					put_row(st, JsonbValueToJsonb(&v));
				else if (v.type == jbvBinary && JsonContainerIsArray(v.val.binary.data))
					put_array_row(st, JsonbValueToJsonb(&v));
			}
		}
		if (member(jb, "statistics") != NULL)
			st->statistics = true;
	}
	else if ((part = member(jb, "data")) != NULL)
		put_array_row(st, part);
	else if (member(jb, "statistics") != NULL)
		st->statistics = true;
	else if (member(jb, "connectionId") != NULL)
		 /* nothing to keep */ ;
	else
	{
		/* Kept past the per-line memory reset. */
		st->failure = (Jsonb *) MemoryContextAlloc(st->cxt, VARSIZE(jb));
		memcpy(st->failure, jb, VARSIZE(jb));
	}
}

/* DsHttpSink: splits the stream into lines as it arrives. */
static void
sql_sink(void *arg, const char *data, size_t len)
{
	SqlStream  *st = (SqlStream *) arg;
	size_t		start = 0;

	for (size_t i = 0; i < len; i++)
	{
		MemoryContext old;

		if (data[i] != '\n')
			continue;
		old = MemoryContextSwitchTo(st->rowcxt);
		if (st->pending.len > 0)
		{
			appendBinaryStringInfo(&st->pending, data + start, i - start);
			handle_line(st, st->pending.data, st->pending.len);
			resetStringInfo(&st->pending);
		}
		else
			handle_line(st, data + start, i - start);
		MemoryContextSwitchTo(old);
		MemoryContextReset(st->rowcxt);
		start = i + 1;
	}
	appendBinaryStringInfo(&st->pending, data + start, len - start);
}

void
ds_sr_http_query(DsPool *pool, const char *sql, Tuplestorestate *ts, TupleDesc tsdesc)
{
	DsHttpRequest req = {0};
	DsHttpResponse resp;
	SqlStream  *st = palloc0(sizeof(SqlStream));
	char	   *catalog = member_text(pool->store->options, "catalog");
	Jsonb	   *vars = member(pool->store->options, "session_variables");
	StringInfoData body;
	char	   *url;
	if (catalog == NULL)
		catalog = "default_catalog";
	if (pool->store->database)
		url = fe_url(pool, psprintf("/api/v1/catalogs/%s/databases/%s/sql",
									url_escape(catalog), url_escape(pool->store->database)));
	else
		url = fe_url(pool, psprintf("/api/v1/catalogs/%s/sql", url_escape(catalog)));

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
	initStringInfo(&st->pending);
	st->rowcxt = AllocSetContextCreate(CurrentMemoryContext, "datastore http rows",
									   ALLOCSET_DEFAULT_SIZES);
	req.method = "POST";
	req.url = url;
	set_auth_tls(pool, &req);
	req.headers = list_make1("Content-Type: application/json");
	req.body = body.data;
	req.body_len = body.len;
	req.sink = sql_sink;
	req.sink_arg = st;
	ds_http_perform(client_of(pool), &req, &resp, pool->name);
	if (st->pending.len > 0)
		handle_line(st, st->pending.data, st->pending.len);

	if (resp.status != 200 || st->failure)
	{
		char	   *msg = st->failure ? server_message(st->failure) : NULL;

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
