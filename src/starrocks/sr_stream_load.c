/*
 * sr_stream_load.c
 *		Loads into StarRocks by HTTP stream load, in batches or in one
 *		transaction tied to the local one (sr_txn.c).
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

#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "core/jsonb_row.h"
#include "core/load_encode.h"
#include "core/progress.h"
#include "starrocks/sr_answer.h"
#include "starrocks/sr_http.h"
#include "starrocks/sr_load.h"
#include "starrocks/sr_txn.h"
#include "starrocks/starrocks.h"

/* The body of one batch, produced row by row from the source. */
typedef struct LoadBody
{
	DsRowSource *src;
	const SrLoadOptions *opts;
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
		if (b->opts->format == SR_FORMAT_JSON)
			appendStringInfoChar(buf, '[');
	}
	if (b->have_row &&
		!(b->opts->batch_rows && b->batch_rows >= b->opts->batch_rows) &&
		!(b->opts->batch_bytes && b->batch_bytes >= b->opts->batch_bytes))
	{
		if (b->opts->format == SR_FORMAT_JSON)
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
	if (b->opts->format == SR_FORMAT_JSON)
		appendStringInfoChar(buf, ']');
	b->batch_bytes += buf->len - before;
	ds_progress_add(0, buf->len - before);
	b->batch_done = true;
	return false;
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
		ds_sr_http_failed(pool, "stream load", url, resp);
	if (!ds_sr_network_text(resp->body.data, resp->body.len, &text, &textlen) ||
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
								   ds_sr_answer_text(text, textlen)),
						 batch > 1
						 ? errhint("Nothing of this batch is visible; the %d batches before it are. Retrying the call with the same label loads the rest, each row once.",
								   batch - 1)
						 : rows_refused
						 ? errhint("Nothing of this load is visible. Fix the rows, or allow some with max_filter_ratio.")
						 : errhint("Nothing of this load is visible. The server refused the load itself: check the target table, its columns and the load's options.")));
			}
			break;
	}
	return ds_sr_answer_jsonb(text, textlen);
}

/*
 * {"transaction": true}: every batch goes into one remote transaction under
 * the label itself, which is prepared here and committed (or rolled back)
 * with the local transaction by sr_txn.c.
 */
static Jsonb *
stream_load_txn(DsPool *pool, const char *db, const char *table,
				const char *label, List *load_headers, LoadBody *body, SrKeyed *keyed)
{
	Jsonb	   *done = NULL;
	DsSrTxn    *txn;
	char	   *fe;
	int			nloads = 0;

	ds_progress_set_label(label);
	txn = ds_sr_txn_begin(pool, db, table, label, load_headers, &done);
	if (txn == NULL)
	{
		/* That label's transaction committed earlier: nothing to send. */
		body->src->close(body->src);
		ds_sr_keyed_unsent(keyed);
		return done;
	}
	fe = ds_sr_txn_load_url(txn, pool);
	/* A mirror's deletes follow its rows, as more loads of the transaction. */
	for (;;)
	{
		List	   *headers;
		DsHttpRequest req = {0};
		DsHttpResponse resp;
		char	   *be;
		DsRowSource *then;

		if (!body->have_row)
		{
			body->src->close(body->src);
			if ((then = ds_sr_mirror_deletes(keyed)) == NULL)
				break;
			body->src = then;
			body->have_row = then->next(then);
			continue;
		}
		headers = ds_sr_txn_headers(txn, list_copy(load_headers));
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
		ds_http_perform(ds_sr_client(pool), &req, &resp, pool->name);
		ds_sr_txn_check_load(txn, pool, be, &resp);
		nloads++;
		CHECK_FOR_INTERRUPTS();
	}
	return ds_sr_txn_prepare(txn, pool, nloads);
}

Jsonb *
ds_sr_stream_load(DsPool *pool, const char *target, DsRowSource *src,
				  const DsLoadOptions *opts)
{
	const SrLoadOptions *o = (const SrLoadOptions *) opts;
	char	   *load_label;
	List	   *load_headers;
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

	SrLoadOptions capped;
	bool		json_cap = false;
	SrLoadOptions by_key;
	SrKeyed    *keyed = NULL;

	ds_sr_split_target(pool, target, &db, &table);
	if (opts->mode != DS_MODE_APPEND)
	{
		by_key = *o;
		keyed = ds_sr_keyed_begin(pool, target, db, table, &src, &by_key);
		o = &by_key;
	}
	/*
	 * StarRocks refuses a JSON body above 100 MB unless ignore_json_size is
	 * set: without batches of the caller's, JSON goes in loads of about
	 * DS_SR_JSON_BATCH_BYTES, the first under the load's own label and the
	 * others under <label>-2, <label>-3... (still a function of the data, so
	 * a retry loads no row twice).
	 */
	if (o->format == SR_FORMAT_JSON && o->batch_rows == 0 && o->batch_bytes == 0 &&
		!ds_sr_has_header(o->headers, "ignore_json_size"))
	{
		capped = *o;
		capped.batch_bytes = DS_SR_JSON_BATCH_BYTES;
		o = &capped;
		json_cap = true;
	}
	load_headers = ds_sr_load_headers(pool, src, o, &load_label);
	batched = !json_cap && (o->batch_rows > 0 || o->batch_bytes > 0);
	fe = ds_sr_fe_url(pool, psprintf("/api/%s/%s/_stream_load", ds_sr_url_escape(db), ds_sr_url_escape(table)));
	body.src = src;
	body.opts = o;
	body.have_row = src->next(src);
	body.source_done = !body.have_row;
	initStringInfo(&discard);
	if (!body.have_row)
	{
		DsLoadResult none = {.status = "Success", .message = "no rows to load"};
		DsRowSource *then;

		src->close(src);
		/* A mirror of no rows deletes every row of the target. */
		then = ds_sr_mirror_deletes(keyed);
		if (then != NULL && then->next(then))
		{
			body.src = then;
			body.have_row = true;
		}
		else
		{
			if (then != NULL)
				then->close(then);
			return keyed ? ds_sr_keyed_result(keyed, ds_load_result_jsonb(&none))
				: ds_load_result_jsonb(&none);
		}
	}
	if (o->transaction)
	{
		Jsonb	   *result = stream_load_txn(pool, db, table, load_label, load_headers, &body, keyed);

		return keyed ? ds_sr_keyed_result(keyed, result) : result;
	}

	while (body.have_row)
	{
		char	   *label = (batched || batch > 0) ? psprintf("%s-%d", load_label, batch + 1) : load_label;
		List	   *headers = list_copy(load_headers);
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
		ds_http_perform(ds_sr_client(pool), &req, &resp, pool->name);
		results = lappend(results, judge_load(pool, label, target, (batched || batch > 1) ? batch : 0,
											  be, &resp, &answer));
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
		if (!batched && !json_cap)
			break;
		CHECK_FOR_INTERRUPTS();
	}
	src->close(src);

	if (list_length(results) == 1)
		return keyed ? ds_sr_keyed_result(keyed, linitial(results)) : linitial(results);
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
		ADD_STR("Label", load_label);
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
		return keyed ? ds_sr_keyed_result(keyed, ds_jsonb_object_finish(&obj))
			: ds_jsonb_object_finish(&obj);
	}
}
