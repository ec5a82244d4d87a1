/*
 * fuzz_starrocks.c
 *		libFuzzer harness for what StarRocks sends back: stream-load answers
 *		and the NDJSON lines of the HTTP SQL API (src/sr_answer.c and
 *		src/json_scan.c, built from the same sources with -DFRONTEND).
 *
 * The backend hands these parsers text it checked to be UTF-8, so the
 * harness does too (the valid prefix of the input).  Then:
 *  - every item must have the shape fuzz_check_items demands;
 *  - a verdict of "loaded" must rest on a Status that says so;
 *  - splitting the stream into lines must not depend on where the network
 *    cut it into chunks, and must lose or add no byte.
 */
#include "fuzz_common.h"

#include "starrocks/sr_answer.h"

static void
check_answer(const char *body, int len)
{
	DsJsonItems obj;
	char	   *error;
	DsSrVerdict verdict;
	const char *status = NULL;

	if (!ds_json_scan(body, len, PG_UTF8, DS_JSON_OBJECT, &obj, &error))
	{
		if (error == NULL)
			fuzz_fail("rejected without a reason");
		return;
	}
	fuzz_check_items(&obj, true, body, len);

	/* The last Status wins, as in jsonb; "status" only if there is none. */
	for (int i = 0; i < obj.count; i++)
		if (strcmp(obj.items[i].key, "Status") == 0)
			status = obj.items[i].kind == DS_PARAM_STRING ? obj.items[i].text : "";
	if (status == NULL)
		for (int i = 0; i < obj.count; i++)
			if (strcmp(obj.items[i].key, "status") == 0)
				status = obj.items[i].kind == DS_PARAM_STRING ? obj.items[i].text : "";
	verdict = ds_sr_load_verdict(&obj);
	if ((verdict == DS_SR_LOADED) != (status && strcmp(status, "Success") == 0))
		fuzz_fail("loaded verdict without Status Success, or the reverse");
	if (verdict == DS_SR_ALREADY_LOADED || verdict == DS_SR_LABEL_BUSY)
		if (!status || strcmp(status, "Label Already Exists") != 0)
			fuzz_fail("label verdict without Label Already Exists");
	/* Transaction answers: each verdict rests on its own code name. */
	{
		DsSrTxnVerdict tv = ds_sr_txn_verdict(&obj);
		const char *want = NULL;

		switch (tv)
		{
			case DS_SR_TXN_OK:
				want = "OK";
				break;
			case DS_SR_TXN_NOT_VISIBLE:
				want = "PUBLISH_TIMEOUT";
				break;
			case DS_SR_TXN_ALREADY_LOADED:
			case DS_SR_TXN_LABEL_BUSY:
				want = "LABEL_ALREADY_EXISTS";
				break;
			case DS_SR_TXN_NOT_FOUND:
				want = "TXN_NOT_EXISTS";
				break;
			case DS_SR_TXN_BUSY:
				want = "TXN_IN_PROCESSING";
				break;
			case DS_SR_TXN_FAILED:
				break;
		}
		if (want && (!status || strcmp(status, want) != 0))
			fuzz_fail("transaction verdict without its Status code");
		if (!want && status && (strcmp(status, "OK") == 0 || strcmp(status, "PUBLISH_TIMEOUT") == 0))
			fuzz_fail("a successful transaction Status judged a failure");
		if (tv == DS_SR_TXN_ALREADY_LOADED)
		{
			const char *existing = NULL;

			for (int i = 0; i < obj.count; i++)
				if (strcmp(obj.items[i].key, "ExistingJobStatus") == 0)
					existing = obj.items[i].kind == DS_PARAM_STRING ? obj.items[i].text : "";
			if (!existing || strcmp(existing, "FINISHED") != 0)
				fuzz_fail("already loaded without ExistingJobStatus FINISHED");
		}
	}
	(void) ds_sr_member_int(&obj, "NumberLoadedRows");
	(void) ds_sr_member_text(&obj, "ErrorURL");
	(void) ds_sr_message(&obj);
}

/* Lines as the splitter hands them over, and their parse, in one string. */
typedef struct Seen
{
	StringInfoData joined;		/* the lines with their newlines put back */
	StringInfoData parsed;		/* a canonical dump of each parsed line */
	int			nlines;
} Seen;

static void
dump_items(StringInfo out, const DsJsonItems *items)
{
	for (int i = 0; i < items->count; i++)
		appendStringInfo(out, "|%d:%d:%.*s", (int) items->items[i].kind, items->items[i].len,
						 items->items[i].len, items->items[i].text ? items->items[i].text : "");
}

static void
on_line(void *arg, const char *line, int len)
{
	Seen	   *seen = arg;
	DsSrLine	parsed;

	if (memchr(line, '\n', len) != NULL)
		fuzz_fail("a line holds a newline");
	if (seen->nlines++ > 0)
		appendStringInfoChar(&seen->joined, '\n');
	appendBinaryStringInfo(&seen->joined, line, len);

	ds_sr_line_parse(line, len, PG_UTF8, &parsed);
	appendStringInfo(&seen->parsed, "\n%d %d", (int) parsed.kind, (int) parsed.statistics);
	switch (parsed.kind)
	{
		case DS_SR_LINE_META:
			for (int i = 0; i < parsed.ncolumns; i++)
			{
				if (!fuzz_valid_utf8(parsed.names[i], strlen(parsed.names[i])))
					fuzz_fail("column name is not UTF-8");
				appendStringInfo(&seen->parsed, " %s", parsed.names[i]);
			}
			fuzz_check_items(&parsed.rows, false, line, len);
			dump_items(&seen->parsed, &parsed.rows);
			break;
		case DS_SR_LINE_DATA:
			fuzz_check_items(&parsed.values, false, line, len);
			dump_items(&seen->parsed, &parsed.values);
			break;
		case DS_SR_LINE_FAILURE:
			appendStringInfo(&seen->parsed, " %s", parsed.message ? parsed.message : "-");
			break;
		case DS_SR_LINE_INVALID:
			if (parsed.error == NULL)
				fuzz_fail("invalid line without a reason");
			break;
		default:
			break;
	}
}

static void
split(const char *data, int len, const int *cuts, int ncuts, Seen *seen)
{
	DsLineSplitter s;
	int			pos = 0;

	memset(seen, 0, sizeof(*seen));
	initStringInfo(&seen->joined);
	initStringInfo(&seen->parsed);
	ds_lines_init(&s, (size_t) 1 << 30);
	for (int i = 0; i <= ncuts; i++)
	{
		int			end = i < ncuts ? Min(cuts[i], len) : len;

		if (end < pos)
			end = pos;
		ds_lines_feed(&s, data + pos, end - pos, on_line, seen);
		pos = end;
	}
	ds_lines_finish(&s, on_line, seen);
}

static int
run_one(const uint8_t *data, size_t size)
{
	const char *text = (const char *) data;
	int			len = pg_encoding_verifymbstr(PG_UTF8, text, (int) Min(size, 1 << 20));
	int			cuts[16];
	int			ncuts = 0;
	uint32		h = 2166136261u;
	Seen		whole;
	Seen		chunked;
	int			expect_len;

	check_answer(text, len);

	/* Chunk boundaries chosen by the input itself, so a crash replays. */
	for (int i = 0; i < len; i++)
		h = (h ^ (uint8) text[i]) * 16777619u;
	for (int pos = 0; ncuts < 16 && len > 0; ncuts++)
	{
		h = h * 1103515245u + 12345u;
		pos += 1 + (int) ((h >> 8) % (uint32) Max(len / 4, 1));
		cuts[ncuts] = pos;
	}
	split(text, len, NULL, 0, &whole);
	split(text, len, cuts, ncuts, &chunked);
	if (whole.nlines != chunked.nlines ||
		strcmp(whole.parsed.data, chunked.parsed.data) != 0 ||
		whole.joined.len != chunked.joined.len ||
		memcmp(whole.joined.data, chunked.joined.data, whole.joined.len) != 0)
		fuzz_fail("lines depend on the chunk boundaries");

	/* No byte lost or added: the lines and their newlines are the input. */
	expect_len = len;
	if (len > 0 && text[len - 1] == '\n')
		expect_len--;
	if (whole.joined.len != expect_len || memcmp(whole.joined.data, text, expect_len) != 0)
		fuzz_fail("the lines are not the input");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run_one(data, size);
	fuzz_reset();
	return 0;
}
