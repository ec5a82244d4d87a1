/*
 * sr_options.c
 *		A StarRocks load's options.  The ones datastore reads itself are in
 *		the table; any other key is a stream-load header, let through only
 *		if StarRocks documents it and it leaves the body as datastore wrote
 *		it (the rest would change how the server reads the rows, or the
 *		request itself: Authorization its credentials, Transfer-Encoding its
 *		framing).
 */
#include "postgres.h"

#include <ctype.h>

#include "miscadmin.h"
#include "utils/timestamp.h"

#include "core/http.h"
#include "starrocks/sr_load.h"

static const char *const formats[] = {"csv", "json", NULL};

const DsOptionDef ds_sr_load_options[] = {
	{.name = "columns", .type = DS_OPT_COLUMNS},
	{"max_filter_ratio", DS_OPT_RATIO, offsetof(SrLoadOptions, max_filter_ratio),
	 .message = "max_filter_ratio must be a number between 0 and 1"},
	{"label", DS_OPT_SCALAR, offsetof(SrLoadOptions, label), .message = NULL},
	{"format", DS_OPT_CHOICE, offsetof(SrLoadOptions, format),
	 .message = "stream load format must be csv or json", .choices = formats,
	 .nocase = true, .show_value = true},
	{"batch_rows", DS_OPT_COUNT, offsetof(SrLoadOptions, batch_rows),
	 .message = "batch_rows must be a positive integer"},
	{"batch_bytes", DS_OPT_COUNT, offsetof(SrLoadOptions, batch_bytes),
	 .message = "batch_bytes must be a positive integer"},
	{"transaction", DS_OPT_BOOL, offsetof(SrLoadOptions, transaction),
	 .message = "stream load option \"transaction\" must be true or false"},
	{"waive_label_guarantee", DS_OPT_BOOL, offsetof(SrLoadOptions, waive_label_guarantee),
	 .message = "stream load option \"waive_label_guarantee\" must be true or false"},
	{0}
};

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

/* In any letter case; the value must be one line. */
bool
ds_sr_header_option(void *opts, JsonbValue *k, JsonbValue *v)
{
	SrLoadOptions *o = (SrLoadOptions *) opts;
	const char *key = k->val.string.val;
	int			len = k->val.string.len;
	char	   *value = ds_option_text(v);
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
	if (value == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("stream load option \"%.*s\" must be a string, number or boolean", len, key)));
	for (const char *p = value; *p; p++)
		if ((unsigned char) *p < 0x20 || *p == 0x7f)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("stream load option \"%.*s\" must not contain a control character", len, key)));
	name = pnstrdup(key, len);
	for (char *p = name; *p; p++)
		*p = pg_tolower((unsigned char) *p);
	if (strcmp(name, "enable_merge_commit") == 0 && pg_strcasecmp(value, "false") != 0)
		o->merge_commit = true;
	o->headers = lappend(o->headers, psprintf("%s: %s", name, value));
	return true;
}

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

bool
ds_sr_has_header(List *headers, const char *name)
{
	ListCell   *lc;
	size_t		n = strlen(name);

	foreach(lc, headers)
	{
		const char *h = lfirst(lc);

		if (pg_strncasecmp(h, name, n) == 0 && h[n] == ':')
			return true;
	}
	return false;
}

List *
ds_sr_load_headers(DsPool *pool, DsRowSource *src, const SrLoadOptions *opts, char **label)
{
	List	   *headers = list_copy(opts->headers);
	bool		batched = opts->batch_rows > 0 || opts->batch_bytes > 0;

	/*
	 * Merge commit groups loads into transactions of the server's choosing
	 * and ignores labels (StarRocks 3.4+): a retry of a call could load its
	 * rows again, which the labels exist to prevent.
	 */
	if (opts->merge_commit && (!opts->waive_label_guarantee || opts->transaction))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("enable_merge_commit ignores the load's label, so a retry could load the same rows twice"),
				 opts->transaction
				 ? errdetail("A transaction load cannot use merge commit.")
				 : errhint("Add \"waive_label_guarantee\": true to the options to load this way anyway.")));
	*label = opts->label ? opts->label : generated_label(pool);
	if (!valid_label(*label) ||
		(batched && !opts->transaction && strlen(*label) > 120))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid stream load label \"%s\"", *label),
				 errdetail("A label is 1 to 128 letters, digits, \"_\" or \"-\" (at most 120 with batches)."),
				 errhint("Leave the label out to have one generated.")));

	if (opts->max_filter_ratio > 0)
		headers = lappend(headers, psprintf("max_filter_ratio: %g", opts->max_filter_ratio));
	if (opts->format == SR_FORMAT_JSON)
	{
		headers = lappend(headers, "format: json");
		headers = lappend(headers, "strip_outer_array: true");
	}
	else
	{
		/*
		 * Separators that text rarely holds, and enclose/escape for values
		 * that hold them anyway or are the text \N: every value round-trips,
		 * and a bare \N is NULL.
		 */
		headers = lappend(headers, "format: csv");
		headers = lappend(headers, "column_separator: \\x01");
		headers = lappend(headers, "row_delimiter: \\x02");
		headers = lappend(headers, "enclose: \"");
		headers = lappend(headers, "escape: \\");
	}
	if (opts->format == SR_FORMAT_CSV || opts->base.columns != NIL)
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
		headers = lappend(headers, cols.data);
	}
	return headers;
}
