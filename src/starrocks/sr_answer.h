/*
 * sr_answer.h
 *		What StarRocks answers: stream-load results and the NDJSON lines of
 *		the HTTP SQL API, judged and split without backend headers so that
 *		test/fuzz builds the same code into standalone fuzzers.
 */
#ifndef DS_SR_ANSWER_H
#define DS_SR_ANSWER_H

#include "lib/stringinfo.h"

#include "core/json_scan.h"

/* ---- stream load, transaction and load-state answers ---- */

/* A member as text (containers as JSON), or NULL if missing or null. */
extern char *ds_sr_member_text(const DsJsonItems *obj, const char *key);

/* A member holding an integer (number or numeric string); 0 if absent or not one. */
extern int64 ds_sr_member_int(const DsJsonItems *obj, const char *key);

/* The failure text of the FE, the BE or the SQL API: Message, msg or message. */
extern char *ds_sr_message(const DsJsonItems *obj);

typedef enum DsSrVerdict
{
	DS_SR_LOADED,				/* Success */
	DS_SR_LOADED_NOT_VISIBLE,	/* Publish Timeout: committed, visible soon */
	DS_SR_ALREADY_LOADED,		/* the label exists and its job FINISHED */
	DS_SR_LABEL_BUSY,			/* the label exists, its job is not finished */
	DS_SR_FAILED
} DsSrVerdict;

/* Judges a stream-load answer object by Status (or status). */
extern DsSrVerdict ds_sr_load_verdict(const DsJsonItems *obj);

/*
 * Judges an answer of the transaction API (begin, load, prepare, commit,
 * rollback), whose Status is a code name.  The FE's own failures
 * ({"Status": "FAILED"}, {"status": "FAILED"}) and anything unknown fail.
 */
typedef enum DsSrTxnVerdict
{
	DS_SR_TXN_OK,
	DS_SR_TXN_NOT_VISIBLE,		/* PUBLISH_TIMEOUT: committed, visible soon */
	DS_SR_TXN_ALREADY_LOADED,	/* LABEL_ALREADY_EXISTS, its job FINISHED */
	DS_SR_TXN_LABEL_BUSY,		/* LABEL_ALREADY_EXISTS, job not finished */
	DS_SR_TXN_NOT_FOUND,		/* TXN_NOT_EXISTS: never begun, or aborted */
	DS_SR_TXN_BUSY,				/* TXN_IN_PROCESSING: another request on it */
	DS_SR_TXN_FAILED
} DsSrTxnVerdict;

extern DsSrTxnVerdict ds_sr_txn_verdict(const DsJsonItems *obj);

/*
 * The state in an answer of get_load_state ("state", or "state" inside
 * "data"), or NULL if it holds none.
 */
extern char *ds_sr_load_state_of(const DsJsonItems *obj, int encoding);

/* ---- the HTTP SQL API: one JSON object per line ---- */

typedef enum DsSrLineKind
{
	DS_SR_LINE_BLANK,
	DS_SR_LINE_CONNECTION,		/* {"connectionId": n} */
	DS_SR_LINE_META,			/* {"meta": [{"name": ...}, ...]}; a SHOW answer
								 * also carries data and statistics */
	DS_SR_LINE_DATA,			/* {"data": [v1, v2, ...]} */
	DS_SR_LINE_STATISTICS,		/* {"statistics": {...}}: the closing line */
	DS_SR_LINE_FAILURE,			/* any other object: the query failed */
	DS_SR_LINE_INVALID			/* not a JSON object, or malformed parts */
} DsSrLineKind;

typedef struct DsSrLine
{
	DsSrLineKind kind;
	int			ncolumns;		/* META: column names */
	char	  **names;
	DsJsonItems values;			/* DATA: the row's values */
	DsJsonItems rows;			/* META of SHOW: rows as JSON objects or arrays */
	bool		statistics;		/* the line carries the statistics */
	char	   *message;		/* FAILURE: the server's message, if any */
	char	   *error;			/* INVALID: what is wrong */
} DsSrLine;

/* Parses one line (without its newline) given in the given encoding. */
extern void ds_sr_line_parse(const char *line, int len, int encoding, DsSrLine *out);

/*
 * Splits a byte stream into lines as chunks arrive: fn sees every complete
 * line once, without its newline, whatever the chunk boundaries.
 */
typedef void (*DsLineFn) (void *arg, const char *line, int len);

typedef struct DsLineSplitter
{
	StringInfoData pending;		/* the start of an unfinished line */
	size_t		max_line;		/* longest line held */
	bool		too_long;		/* a line exceeded it: nothing more is read */
} DsLineSplitter;

/*
 * A server decides how long a line is: one longer than max_line stops the
 * splitter (too_long), so what it holds stays bounded.
 */
extern void ds_lines_init(DsLineSplitter *s, size_t max_line);
extern void ds_lines_feed(DsLineSplitter *s, const char *data, size_t len,
						  DsLineFn fn, void *arg);
/* Passes the last line if the stream did not end with a newline. */
extern void ds_lines_finish(DsLineSplitter *s, DsLineFn fn, void *arg);

#endif							/* DS_SR_ANSWER_H */
