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
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "datastore.h"
#include "http.h"
#include "json_scan.h"
#include "jsonb_row.h"
#include "load_encode.h"
#include "progress.h"
#include "sr_answer.h"
#include "starrocks.h"
#include "starrocks_txn.h"

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

char *
ds_sr_fe_url(DsPool *pool, const char *path)
{
	return psprintf("%s://%s:%d%s", use_https(pool) ? "https" : "http",
					pool->store->host, pool->store->http_port, path);
}

/* Credentials and TLS settings, the same for every request to the store. */
void
ds_sr_set_auth_tls(DsPool *pool, DsHttpRequest *req)
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
char *
ds_sr_url_escape(const char *s)
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

/*
 * A database, table or catalog name that goes into a URL path and into the
 * db/table headers of a transaction: no control characters (a header line
 * ends at a line break), and not "." or "..", which a server would take as
 * path steps even percent-encoded.
 */
void
ds_sr_check_name(DsPool *pool, const char *what, const char *name)
{
	if (name[0] == '\0' || strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
		ds_http_has_control(name))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_NAME),
				 errmsg("invalid %s name \"%s\" for datastore \"%s\"", what,
						ds_http_has_control(name) ? "(with a control character)" : name, pool->name),
				 errdetail("A StarRocks name is neither empty, \".\" nor \"..\", and holds no control characters.")));
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
	ds_sr_check_name(pool, "database", *db);
	ds_sr_check_name(pool, "table", *table);
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
	JsonbValue *v = ds_jsonb_member(jb, key);

	if (v == NULL || v->type == jbvNull)
		return NULL;
	if (v->type == jbvBinary)
		return JsonbToCString(NULL, v->val.binary.data, v->val.binary.len);
	return scalar_text(v);
}

static Jsonb *
member(Jsonb *jb, const char *key)
{
	JsonbValue *v = ds_jsonb_member(jb, key);

	return v ? JsonbValueToJsonb(v) : NULL;
}

/*
 * A body from the network, as text in the server encoding.  False if it is
 * not valid UTF-8: such bytes never reach a jsonb value or an error message.
 */
static bool
network_text(const char *data, int len, char **text, int *textlen)
{
	if (pg_encoding_verifymbstr(PG_UTF8, data, len) != len)
		return false;
	*text = pg_any_to_server(data, len, PG_UTF8);
	*textlen = *text == data ? len : (int) strlen(*text);
	return true;
}

/* Parses an answer as a JSON object; false if it is none. */
static bool
parse_answer(const char *body, int len, DsJsonItems *obj)
{
	char	   *text;
	int			textlen;
	char	   *error;

	return len > 0 && network_text(body, len, &text, &textlen) &&
		ds_json_scan(text, textlen, GetDatabaseEncoding(), DS_JSON_OBJECT, obj, &error);
}

/* The start of a body, for an error's detail: its valid text only. */
static char *
excerpt_of(const char *s, int len, int max)
{
	int			valid = pg_encoding_verifymbstr(PG_UTF8, s, Min(len, max));

	if (GetDatabaseEncoding() != PG_UTF8 && GetDatabaseEncoding() != PG_SQL_ASCII)
	{
		/* Conversion could fail; ASCII cannot. */
		for (int i = 0; i < valid; i++)
			if (IS_HIGHBIT_SET(s[i]))
				valid = i;
	}
	return pnstrdup(s, valid);
}

char *
ds_sr_excerpt(const char *s, int len)
{
	return excerpt_of(s, len, 500);
}

/* The server's message in an answer that failed, or NULL. */
static char *
answer_message(DsHttpResponse *resp)
{
	DsJsonItems obj;

	return parse_answer(resp->body.data, resp->body.len, &obj) ? ds_sr_message(&obj) : NULL;
}

static void
pg_attribute_noreturn()
http_failed(DsPool *pool, const char *what, const char *url, DsHttpResponse *resp)
{
	char	   *msg = answer_message(resp);

	ereport(ERROR,
			(errcode(resp->status == 401 || resp->status == 403
					 ? ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION : ERRCODE_FDW_ERROR),
			 errmsg("%s on datastore \"%s\" failed with HTTP %ld%s%s",
					what, pool->name, resp->status, msg ? ": " : "", msg ? msg : ""),
			 errdetail("%s answered: %s", url, ds_sr_excerpt(resp->body.data, resp->body.len))));
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
	bool		transaction;	/* tied to the local transaction */
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

/*
 * The stream-load headers StarRocks documents (be/src/http/http_common.h)
 * that an option may set, as they are: none of them changes how the body
 * datastore encodes is read.
 */
static const char *const passed_headers[] = {
	"where", "timeout", "partitions", "temporary_partitions", "negative",
	"strict_mode", "timezone", "load_mem_limit", "exec_mem_limit",
	"partial_update", "partial_update_mode", "merge_condition",
	"log_rejected_record_num", "warehouse", "load_dop", "ignore_json_size",
	"idle_transaction_timeout", "prepared_timeout", "enable_merge_commit",
	"merge_commit_async", "merge_commit_interval_ms", "merge_commit_parallel",
	NULL
};

/* Headers datastore sets itself, from its own options or the protocol. */
static const char *const owned_headers[] = {
	"label", "format", "columns", "column_separator", "row_delimiter", "enclose",
	"escape", "strip_outer_array", "max_filter_ratio", "db", "table", "txn_id",
	"txn_op", "expect", "host", "authorization", "content-length",
	"transfer-encoding", "connection", "content-type", "cookie", NULL
};

/* Headers that would make the server read the body differently than it was written. */
static const char *const body_headers[] = {
	"compression", "transmission_compression_type", "skip_header", "trim_space",
	"jsonpaths", "json_root", NULL
};

static bool
in_list(const char *const *list, const char *name, int len)
{
	for (int i = 0; list[i]; i++)
		if ((int) strlen(list[i]) == len && pg_strncasecmp(list[i], name, len) == 0)
			return true;
	return false;
}

/*
 * The header an option key names, checked against the lists above (in any
 * letter case); its value must be one line.  Everything else is an ERROR,
 * since a header the server does not expect would either be ignored or
 * change the request: Authorization its credentials, Transfer-Encoding its
 * framing.
 */
static const char *
header_option(JsonbValue *k, const char *value)
{
	const char *key = k->val.string.val;
	int			len = k->val.string.len;
	char	   *name;

	if (in_list(owned_headers, key, len))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("stream load header \"%.*s\" is set by datastore", len, key),
				 errhint("Use the options label, format, columns and max_filter_ratio; the others belong to the protocol.")));
	if (in_list(body_headers, key, len))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("stream load header \"%.*s\" would change how the server reads the rows datastore sends",
						len, key)));
	if (!in_list(passed_headers, key, len))
	{
		StringInfoData known;

		initStringInfo(&known);
		for (int i = 0; passed_headers[i]; i++)
			appendStringInfo(&known, "%s%s", i > 0 ? ", " : "", passed_headers[i]);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown stream load option \"%.*s\"", len, key),
				 errhint("Options: label, format, columns, max_filter_ratio, batch_rows, batch_bytes, transaction, waive_label_guarantee, and the stream-load headers %s.",
						 known.data)));
	}
	for (const char *p = value; *p; p++)
		if ((unsigned char) *p < 0x20 || *p == 0x7f)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("stream load option \"%.*s\" must not contain a control character", len, key)));
	name = pnstrdup(key, len);
	for (char *p = name; *p; p++)
		*p = pg_tolower((unsigned char) *p);
	return name;
}

static void
read_spec(DsPool *pool, DsRowSource *src, const DsLoadOptions *opts, SrLoadSpec *spec)
{
	JsonbIterator *it;
	JsonbValue	k;
	JsonbValue	v;
	JsonbIteratorToken tok;
	bool		columns_given = false;
	bool		merge_commit = false;
	bool		waived = false;

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
			if (key_is(&k, "transaction"))
			{
				if (v.type != jbvBool)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("stream load option \"transaction\" must be true or false")));
				spec->transaction = v.val.boolean;
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
			else if (key_is(&k, "waive_label_guarantee"))
			{
				if (v.type != jbvBool)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("stream load option \"waive_label_guarantee\" must be true or false")));
				waived = v.val.boolean;
			}
			else if (key_is(&k, "max_filter_ratio"))
				continue;		/* read by ds_load_options_parse; sent below */
			else
			{
				const char *name = header_option(&k, text);

				if (pg_strcasecmp(name, "enable_merge_commit") == 0 && pg_strcasecmp(text, "false") != 0)
					merge_commit = true;
				spec->headers = lappend(spec->headers, psprintf("%s: %s", name, text));
			}
		}
	}
	/*
	 * Merge commit groups loads into transactions of the server's choosing
	 * and ignores labels (StarRocks 3.4+): a retry of a call could load its
	 * rows again, which the labels exist to prevent.
	 */
	if (merge_commit && (!waived || spec->transaction))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("enable_merge_commit ignores the load's label, so a retry could load the same rows twice"),
				 spec->transaction
				 ? errdetail("A transaction load cannot use merge commit.")
				 : errhint("Add \"waive_label_guarantee\": true to the options to load this way anyway.")));
	if (spec->label == NULL)
		spec->label = generated_label(pool);
	if (!valid_label(spec->label) ||
		((spec->batch_rows || spec->batch_bytes) && !spec->transaction &&
		 strlen(spec->label) > 120))
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
			if (strpbrk(src->row.columns[i], "`,") != NULL ||
				ds_http_has_control(src->row.columns[i]))
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
char *
ds_sr_resolve_be(DsPool *pool, const char *url, List *headers)
{
	DsHttpRequest req = {0};
	DsHttpResponse resp;
	char	   *msg;

	req.method = "PUT";
	req.url = url;
	ds_sr_set_auth_tls(pool, &req);
	req.headers = headers;
	req.body = "";
	req.body_len = 0;
	ds_http_perform(client_of(pool), &req, &resp, pool->name);
	if ((resp.status == 307 || resp.status == 302 || resp.status == 301) && resp.redirect_url)
		return ds_sr_check_redirect(pool, url, resp.redirect_url);
	if (resp.status != 200)
		http_failed(pool, "stream load", url, &resp);
	/* 200 from the FE is a failure shape: {"Status": "FAILED", ...}. */
	msg = answer_message(&resp);
	ereport(ERROR,
			(errcode(ERRCODE_FDW_ERROR),
			 errmsg("stream load on datastore \"%s\" was refused by the FE: %s",
					pool->name, msg ? msg : "no redirect to a BE"),
			 errdetail("%s answered: %s", url, ds_sr_excerpt(resp.body.data, resp.body.len))));
	pg_unreachable();
}

static bool
same_origin(const DsHttpUrl *a, const DsHttpUrl *b)
{
	return pg_strcasecmp(a->scheme, b->scheme) == 0 &&
		pg_strcasecmp(a->host, b->host) == 0 && strcmp(a->port, b->port) == 0;
}

/*
 * The FE answers a load with a 307 to a BE, and the protocol needs the
 * credentials and the rows to go there: but only for the very request
 * (the same path), never from https down to http, never to a URL that
 * names a user of its own.  NULL if to is such a place, else why not.
 */
const char *
ds_sr_redirect_refused(const char *from, const char *to)
{
	DsHttpUrl	f;
	DsHttpUrl	t;

	if (!ds_http_url_split(from, &f) || !ds_http_url_split(to, &t))
		return "it is not a URL";
	if (pg_strcasecmp(t.scheme, "http") != 0 && pg_strcasecmp(t.scheme, "https") != 0)
		return "it is not http or https";
	if (pg_strcasecmp(f.scheme, "https") == 0 && pg_strcasecmp(t.scheme, "https") != 0)
		return "it leaves https";
	if (t.userinfo)
		return "it names a user";
	if (strcmp(f.path, t.path) != 0)
		return "it is not the path that was asked for";
	return NULL;
}

char *
ds_sr_check_redirect(DsPool *pool, const char *from, const char *to)
{
	const char *why = ds_sr_redirect_refused(from, to);

	if (why != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("datastore \"%s\" redirected a request where datastore does not follow: %s",
						pool->name, why),
				 errdetail("%s redirected to %s", from, ds_sr_excerpt(to, strlen(to))),
				 errhint("Nothing was sent there: no credentials, no rows.")));
	return (char *) to;
}

/*
 * The first lines of a load's error log, for the ERROR's detail: fetched
 * only from the server that answered the load (served_by), without the
 * store's credentials (the log needs none), and only a little of it.
 */
char *
ds_sr_error_log_excerpt(DsPool *pool, const char *served_by, const char *url)
{
	DsHttpRequest req = {0};
	DsHttpResponse resp;
	MemoryContext cxt = CurrentMemoryContext;
	char	   *result = NULL;
	DsHttpUrl	log;
	DsHttpUrl	server;
	DsTls		tls;

	if (!ds_http_url_split(url, &log) || !ds_http_url_split(served_by, &server) ||
		!same_origin(&log, &server) || log.userinfo)
		return psprintf("(not fetched: %s is not on the server that answered)",
						ds_sr_excerpt(url, strlen(url)));
	ds_store_tls(pool->store, &tls);
	req.method = "GET";
	req.url = url;
	req.verify_peer = tls.mode >= DS_TLS_VERIFY_CA;
	req.verify_host = tls.mode == DS_TLS_VERIFY_FULL;
	req.ca = tls.ca;
	req.max_response_kb = 64;
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
			result = ds_sr_excerpt(resp.body.data, i);
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

/* An answer ds_json_scan accepted: valid JSON in the server encoding. */
static Jsonb *
answer_jsonb(const char *text, int len)
{
	return DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(pnstrdup(text, len))));
}

Jsonb *
ds_sr_answer_object(const char *body, int len, DsJsonItems *obj)
{
	char	   *text;
	int			textlen;
	char	   *error;

	if (len <= 0 || !network_text(body, len, &text, &textlen) ||
		!ds_json_scan(text, textlen, GetDatabaseEncoding(), DS_JSON_OBJECT, obj, &error))
		return NULL;
	return answer_jsonb(text, textlen);
}

/* The same, printed compactly for an error's detail. */
static char *
answer_text(const char *text, int len)
{
	Jsonb	   *jb = answer_jsonb(text, len);

	return JsonbToCString(NULL, &jb->root, VARSIZE(jb));
}

/*
 * Judges one load's answer: returns it as jsonb when it counts as done,
 * with its members in *obj; anything else is an ERROR.
 */
static Jsonb *
judge_load(DsPool *pool, const char *label, const char *target, int batch,
		   const char *url, DsHttpResponse *resp, DsJsonItems *obj)
{
	char	   *status;
	char	   *text;
	int			textlen;
	char	   *error;

	if (resp->status != 200)
		http_failed(pool, "stream load", url, resp);
	if (!network_text(resp->body.data, resp->body.len, &text, &textlen) ||
		!ds_json_scan(text, textlen, GetDatabaseEncoding(), DS_JSON_OBJECT, obj, &error))
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("stream load \"%s\" on datastore \"%s\": the answer is not a JSON object",
						label, pool->name),
				 errdetail("%s answered: %s", url, ds_sr_excerpt(resp->body.data, resp->body.len)),
				 errhint("Check ds_load_state() before retrying with the same label.")));
	status = ds_sr_member_text(obj, "Status");
	if (status == NULL)
		status = ds_sr_member_text(obj, "status");
	switch (ds_sr_load_verdict(obj))
	{
		case DS_SR_LOADED:
			break;
		case DS_SR_LOADED_NOT_VISIBLE:
			ereport(WARNING,
					(errmsg("stream load \"%s\" on datastore \"%s\" is committed but not yet visible",
							label, pool->name),
					 errdetail("StarRocks answered Publish Timeout; the data will become visible.")));
			break;
		case DS_SR_ALREADY_LOADED:
			ereport(NOTICE,
					(errmsg("stream load label \"%s\" already loaded on datastore \"%s\"; nothing loaded again",
							label, pool->name)));
			break;
		case DS_SR_LABEL_BUSY:
			{
				char	   *existing = ds_sr_member_text(obj, "ExistingJobStatus");
				char	   *msg = ds_sr_message(obj);

				ereport(ERROR,
						(errcode(ERRCODE_UNIQUE_VIOLATION),
						 errmsg("stream load label \"%s\" on datastore \"%s\" is already in use (%s)",
								label, pool->name, existing ? existing : "state unknown"),
						 errdetail("%s", msg ? msg : ""),
						 errhint("An earlier load with this label is still running: wait, and check ds_load_state().")));
			}
			break;
		case DS_SR_FAILED:
			{
				char	   *error_url = ds_sr_member_text(obj, "ErrorURL");
				char	   *log = error_url ? ds_sr_error_log_excerpt(pool, resp->url, error_url) : NULL;
				char	   *msg = ds_sr_message(obj);
				/* Rows refused, or the load refused as a whole (no such table...). */
				bool		rows_refused = ds_sr_member_int(obj, "NumberFilteredRows") > 0;

				ereport(ERROR,
						(errcode(rows_refused ? ERRCODE_DATA_EXCEPTION : ERRCODE_FDW_ERROR),
						 errmsg("stream load \"%s\" into \"%s\" on datastore \"%s\" failed: %s",
								label, target, pool->name,
								msg && *msg ? msg : status ? status : "no status"),
						 errdetail("%s%s%s%s Result: %s",
								   error_url ? "ErrorURL: " : "", error_url ? error_url : "",
								   log ? " Error log: " : "", log ? log : "",
								   answer_text(text, textlen)),
						 batch > 1
						 ? errhint("Nothing of this batch is visible; the %d batches before it are. Retrying the call with the same label loads the rest, each row once.",
								   batch - 1)
						 : rows_refused
						 ? errhint("Nothing of this load is visible. Fix the rows, or allow some with max_filter_ratio.")
						 : errhint("Nothing of this load is visible. The server refused the load itself: check the target table, its columns and the load's options.")));
			}
			break;
	}
	return answer_jsonb(text, textlen);
}

/*
 * {"transaction": true}: every batch goes into one remote transaction under
 * the label itself, which is prepared here and committed (or rolled back)
 * with the local transaction by starrocks_txn.c.
 */
static Jsonb *
stream_load_txn(DsPool *pool, const char *db, const char *table,
				const SrLoadSpec *spec, LoadBody *body)
{
	Jsonb	   *done = NULL;
	DsSrTxn    *txn;
	char	   *fe;
	int			nloads = 0;

	ds_progress_set_label(spec->label);
	txn = ds_sr_txn_begin(pool, db, table, spec->label, spec->headers, &done);
	if (txn == NULL)
	{
		/* That label's transaction committed earlier: nothing to send. */
		body->src->close(body->src);
		return done;
	}
	fe = ds_sr_txn_load_url(txn, pool);
	while (body->have_row)
	{
		List	   *headers = ds_sr_txn_headers(txn, list_copy(spec->headers));
		DsHttpRequest req = {0};
		DsHttpResponse resp;
		char	   *be;

		headers = lappend(headers, "Expect: 100-continue");
		be = ds_sr_resolve_be(pool, fe, headers);
		body->batch_open = false;
		body->batch_done = false;
		body->batch_rows = 0;
		body->batch_bytes = 0;
		req.method = "PUT";
		req.url = be;
		ds_sr_set_auth_tls(pool, &req);
		req.headers = headers;
		req.produce = produce_batch;
		req.produce_arg = body;
		ds_http_perform(client_of(pool), &req, &resp, pool->name);
		ds_sr_txn_check_load(txn, pool, be, &resp);
		nloads++;
		CHECK_FOR_INTERRUPTS();
	}
	body->src->close(body->src);
	return ds_sr_txn_prepare(txn, pool, nloads);
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
	DsJsonItems answer;
	int64		total = 0,
				loaded = 0,
				filtered = 0,
				bytes = 0,
				ms = 0;

	split_target(pool, target, &db, &table);
	read_spec(pool, src, opts, &spec);
	if (opts->max_filter_ratio > 0)
		spec.headers = lappend(spec.headers,
							   psprintf("max_filter_ratio: %g", opts->max_filter_ratio));
	batched = spec.batch_rows > 0 || spec.batch_bytes > 0;
	fe = ds_sr_fe_url(pool, psprintf("/api/%s/%s/_stream_load", ds_sr_url_escape(db), ds_sr_url_escape(table)));
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
	if (spec.transaction)
		return stream_load_txn(pool, db, table, &spec, &body);

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
		be = ds_sr_resolve_be(pool, fe, headers);

		body.batch_open = false;
		body.batch_done = false;
		body.batch_rows = 0;
		body.batch_bytes = 0;
		req.method = "PUT";
		req.url = be;
		ds_sr_set_auth_tls(pool, &req);
		req.headers = headers;
		req.produce = produce_batch;
		req.produce_arg = &body;
		ds_http_perform(client_of(pool), &req, &resp, pool->name);
		results = lappend(results, judge_load(pool, label, target, batched ? batch : 0, be, &resp, &answer));
		total += ds_sr_member_int(&answer, "NumberTotalRows");
		loaded += ds_sr_member_int(&answer, "NumberLoadedRows");
		filtered += ds_sr_member_int(&answer, "NumberFilteredRows");
		bytes += ds_sr_member_int(&answer, "LoadBytes");
		ms += ds_sr_member_int(&answer, "LoadTimeMs");

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
		StringInfoData loads;
		Jsonb	   *loads_jb;

		initStringInfo(&loads);
		appendStringInfoChar(&loads, '[');
		foreach(lc, results)
		{
			Jsonb	   *r = lfirst(lc);

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
	DsJsonItems obj;
	char	   *state = NULL;
	char	   *url;

	if (pool->store->database == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("datastore \"%s\" has no database to look the label up in", pool->name)));
	ds_sr_check_name(pool, "database", pool->store->database);
	url = ds_sr_fe_url(pool, psprintf("/api/%s/get_load_state?label=%s",
								ds_sr_url_escape(pool->store->database), ds_sr_url_escape(label)));
	req.method = "GET";
	req.url = url;
	ds_sr_set_auth_tls(pool, &req);
	ds_http_perform(client_of(pool), &req, &resp, pool->name);
	if (resp.status != 200)
		http_failed(pool, "get_load_state", url, &resp);
	if (parse_answer(resp.body.data, resp.body.len, &obj))
	{
		DsJsonItem *data = ds_json_member(&obj, "data");
		DsJsonItems inner;
		char	   *error;

		state = ds_sr_member_text(&obj, "state");
		if (state == NULL && data && data->kind == DS_PARAM_JSON &&
			ds_json_scan(data->text, data->len, GetDatabaseEncoding(), DS_JSON_OBJECT,
						 &inner, &error))
			state = ds_sr_member_text(&inner, "state");
	}
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

	if (!network_text(data, len, &text, &textlen))
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
	char	   *catalog = member_text(pool->store->options, "catalog");
	Jsonb	   *vars = member(pool->store->options, "session_variables");
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
	ds_http_perform(client_of(pool), &req, &resp, pool->name);
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
