/*
 * sr_answer.c
 *		Judging StarRocks' answers and splitting its NDJSON streams.
 *
 * The input comes from the network: nothing here trusts its shape.  Every
 * field is looked up, checked for its kind, and missing or odd ones read
 * as absent rather than as anything the caller could mistake for success.
 */
#ifdef FRONTEND
#include "postgres_fe.h"
#else
#include "postgres.h"
#endif

#include <errno.h>

#include "starrocks/sr_answer.h"

char *
ds_sr_member_text(const DsJsonItems *obj, const char *key)
{
	DsJsonItem *m = ds_json_member(obj, key);

	if (m == NULL || m->kind == DS_PARAM_NULL)
		return NULL;
	/* Containers point into the input; give the caller a string of its own. */
	return m->kind == DS_PARAM_JSON ? pnstrdup(m->text, m->len) : m->text;
}

int64
ds_sr_member_int(const DsJsonItems *obj, const char *key)
{
	DsJsonItem *m = ds_json_member(obj, key);
	char	   *end;
	long long	v;

	if (m == NULL || (m->kind != DS_PARAM_NUMBER && m->kind != DS_PARAM_STRING))
		return 0;
	errno = 0;
	v = strtoll(m->text, &end, 10);
	if (errno != 0 || end == m->text || *end != '\0')
		return 0;
	return (int64) v;
}

char *
ds_sr_message(const DsJsonItems *obj)
{
	char	   *m = ds_sr_member_text(obj, "Message");

	if (m == NULL)
		m = ds_sr_member_text(obj, "msg");
	if (m == NULL)
		m = ds_sr_member_text(obj, "message");
	return m;
}

static bool
member_is(const DsJsonItems *obj, const char *key, const char *value)
{
	DsJsonItem *m = ds_json_member(obj, key);

	return m && m->kind == DS_PARAM_STRING && strcmp(m->text, value) == 0;
}

DsSrVerdict
ds_sr_load_verdict(const DsJsonItems *obj)
{
	const char *key = ds_json_member(obj, "Status") ? "Status" : "status";

	if (member_is(obj, key, "Success"))
		return DS_SR_LOADED;
	if (member_is(obj, key, "Publish Timeout"))
		return DS_SR_LOADED_NOT_VISIBLE;
	if (member_is(obj, key, "Label Already Exists"))
		return member_is(obj, "ExistingJobStatus", "FINISHED")
			? DS_SR_ALREADY_LOADED : DS_SR_LABEL_BUSY;
	return DS_SR_FAILED;
}

DsSrTxnVerdict
ds_sr_txn_verdict(const DsJsonItems *obj)
{
	const char *key = ds_json_member(obj, "Status") ? "Status" : "status";

	if (member_is(obj, key, "OK"))
		return DS_SR_TXN_OK;
	if (member_is(obj, key, "PUBLISH_TIMEOUT"))
		return DS_SR_TXN_NOT_VISIBLE;
	if (member_is(obj, key, "LABEL_ALREADY_EXISTS"))
		return member_is(obj, "ExistingJobStatus", "FINISHED")
			? DS_SR_TXN_ALREADY_LOADED : DS_SR_TXN_LABEL_BUSY;
	if (member_is(obj, key, "TXN_NOT_EXISTS"))
		return DS_SR_TXN_NOT_FOUND;
	if (member_is(obj, key, "TXN_IN_PROCESSING"))
		return DS_SR_TXN_BUSY;
	return DS_SR_TXN_FAILED;
}

char *
ds_sr_load_state_of(const DsJsonItems *obj, int encoding)
{
	char	   *state = ds_sr_member_text(obj, "state");
	DsJsonItem *data = ds_json_member(obj, "data");
	DsJsonItems inner;
	char	   *error;

	if (state == NULL && data && data->kind == DS_PARAM_JSON &&
		ds_json_scan(data->text, data->len, encoding, DS_JSON_OBJECT, &inner, &error))
		state = ds_sr_member_text(&inner, "state");
	return state;
}

/* ---- NDJSON lines ---- */

static bool
invalid(DsSrLine *out, const char *what)
{
	out->kind = DS_SR_LINE_INVALID;
	out->error = pstrdup(what);
	return false;
}

/* meta: an array of objects, each naming a column. */
static bool
parse_meta(DsJsonItem *meta, int encoding, DsSrLine *out)
{
	DsJsonItems cols;
	char	   *error;

	if (meta->kind != DS_PARAM_JSON ||
		!ds_json_scan(meta->text, meta->len, encoding, DS_JSON_ARRAY, &cols, &error))
		return invalid(out, "meta is not an array");
	out->ncolumns = cols.count;
	out->names = palloc(sizeof(char *) * Max(cols.count, 1));
	for (int i = 0; i < cols.count; i++)
	{
		DsJsonItems col;
		DsJsonItem *name = NULL;

		if (cols.items[i].kind == DS_PARAM_JSON &&
			ds_json_scan(cols.items[i].text, cols.items[i].len, encoding,
						 DS_JSON_OBJECT, &col, &error))
			name = ds_json_member(&col, "name");
		/* A column the server left unnamed still gets a key of its own. */
		out->names[i] = name && name->kind == DS_PARAM_STRING
			? name->text : psprintf("column%d", i + 1);
	}
	return true;
}

void
ds_sr_line_parse(const char *line, int len, int encoding, DsSrLine *out)
{
	DsJsonItems obj;
	DsJsonItem *part;
	char	   *error;

	memset(out, 0, sizeof(*out));
	while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	if (len == 0)
	{
		out->kind = DS_SR_LINE_BLANK;
		return;
	}
	if (!ds_json_scan(line, len, encoding, DS_JSON_OBJECT, &obj, &error))
	{
		invalid(out, error);
		return;
	}
	out->statistics = ds_json_member(&obj, "statistics") != NULL;
	if ((part = ds_json_member(&obj, "meta")) != NULL)
	{
		if (!parse_meta(part, encoding, out))
			return;
		out->kind = DS_SR_LINE_META;
		/* SHOW: one object with meta, data (objects or arrays) and statistics. */
		if ((part = ds_json_member(&obj, "data")) != NULL &&
			(part->kind != DS_PARAM_JSON ||
			 !ds_json_scan(part->text, part->len, encoding, DS_JSON_ARRAY, &out->rows, &error)))
			invalid(out, "data is not an array");
	}
	else if ((part = ds_json_member(&obj, "data")) != NULL)
	{
		out->kind = DS_SR_LINE_DATA;
		if (part->kind != DS_PARAM_JSON ||
			!ds_json_scan(part->text, part->len, encoding, DS_JSON_ARRAY, &out->values, &error))
			invalid(out, "data is not an array");
	}
	else if (out->statistics)
		out->kind = DS_SR_LINE_STATISTICS;
	else if (ds_json_member(&obj, "connectionId") != NULL)
		out->kind = DS_SR_LINE_CONNECTION;
	else
	{
		out->kind = DS_SR_LINE_FAILURE;
		out->message = ds_sr_message(&obj);
	}
}

void
ds_lines_init(DsLineSplitter *s, size_t max_line)
{
	initStringInfo(&s->pending);
	s->max_line = max_line;
	s->too_long = false;
}

void
ds_lines_feed(DsLineSplitter *s, const char *data, size_t len, DsLineFn fn, void *arg)
{
	size_t		start = 0;

	if (s->too_long)
		return;
	for (size_t i = 0; i < len; i++)
	{
		if (data[i] != '\n')
			continue;
		if ((size_t) s->pending.len + (i - start) > s->max_line)
		{
			s->too_long = true;
			return;
		}
		if (s->pending.len > 0)
		{
			appendBinaryStringInfo(&s->pending, data + start, i - start);
			fn(arg, s->pending.data, s->pending.len);
			resetStringInfo(&s->pending);
		}
		else
			fn(arg, data + start, i - start);
		start = i + 1;
	}
	/* The unfinished line is held only up to the cap. */
	if ((size_t) s->pending.len + (len - start) > s->max_line)
	{
		s->too_long = true;
		return;
	}
	appendBinaryStringInfo(&s->pending, data + start, len - start);
}

void
ds_lines_finish(DsLineSplitter *s, DsLineFn fn, void *arg)
{
	if (s->pending.len > 0)
	{
		fn(arg, s->pending.data, s->pending.len);
		resetStringInfo(&s->pending);
	}
}
