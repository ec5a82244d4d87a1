/*
 * json_scan.c
 *		Reading the top level of a JSON document with PostgreSQL's own JSON
 *		parser (common/jsonapi), which works in the backend and in frontend
 *		programs alike.
 */
#ifdef FRONTEND
#include "postgres_fe.h"
#else
#include "postgres.h"
#endif

#include "common/jsonapi.h"

#include "core/compat.h"
#include "core/json_scan.h"

typedef struct ScanState
{
	JsonLexContext *lex;
	DsJsonItems *out;
	int			allocated;
	char	   *key;			/* name of the member being read */
	const char *container_start;	/* a nested value being skipped over */
} ScanState;

static DsJsonItem *
new_item(ScanState *st)
{
	DsJsonItems *out = st->out;
	DsJsonItem *item;

	if (out->count == st->allocated)
	{
		st->allocated = Max(8, st->allocated * 2);
		out->items = out->items == NULL
			? palloc(sizeof(DsJsonItem) * st->allocated)
			: repalloc(out->items, sizeof(DsJsonItem) * st->allocated);
	}
	item = &out->items[out->count++];
	item->key = st->key;
	st->key = NULL;
	return item;
}

/*
 * lex_level counts the containers around the current token: the top-level
 * container's own members are read at level 1.  The parser calls the start
 * action before it consumes the opening bracket and the end action after it
 * consumed the closing one, so the raw text of a nested value runs from the
 * token at its start to the previous token's end at its end.
 */
static DS_JSON_ACTION
container_start(void *state)
{
	ScanState  *st = state;

	if (st->lex->lex_level == 1)
		st->container_start = st->lex->token_start;
	DS_JSON_ACTION_DONE;
}

static DS_JSON_ACTION
container_end(void *state)
{
	ScanState  *st = state;

	if (st->lex->lex_level == 1)
	{
		DsJsonItem *item = new_item(st);

		item->kind = DS_PARAM_JSON;
		item->text = unconstify(char *, st->container_start);
		item->len = st->lex->prev_token_terminator - st->container_start;
	}
	DS_JSON_ACTION_DONE;
}

static DS_JSON_ACTION
field_start(void *state, char *fname, bool isnull)
{
	ScanState  *st = state;

	if (st->lex->lex_level == 1)
		st->key = fname;
	DS_JSON_ACTION_DONE;
}

static DS_JSON_ACTION
scalar(void *state, char *token, JsonTokenType type)
{
	ScanState  *st = state;
	DsJsonItem *item;

	if (st->lex->lex_level != 1)
		DS_JSON_ACTION_DONE;
	item = new_item(st);
	item->text = token;
	switch (type)
	{
		case JSON_TOKEN_STRING:
			item->kind = DS_PARAM_STRING;
			break;
		case JSON_TOKEN_NUMBER:
			item->kind = DS_PARAM_NUMBER;
			break;
		case JSON_TOKEN_TRUE:
		case JSON_TOKEN_FALSE:
			item->kind = DS_PARAM_BOOL;
			break;
		default:
			item->kind = DS_PARAM_NULL;
			item->text = NULL;
			break;
	}
	item->len = item->text ? strlen(item->text) : 0;
	DS_JSON_ACTION_DONE;
}

bool
ds_json_scan(const char *json, int len, int encoding, DsJsonShape shape,
			 DsJsonItems *out, char **error)
{
	ScanState	st = {0};
	JsonSemAction sem = {0};
	JsonParseErrorType rc;
	int			i = 0;

	out->count = 0;
	out->items = NULL;
	*error = NULL;

	/* The first token decides the shape; whitespace may precede it. */
	while (i < len && (json[i] == ' ' || json[i] == '\t' || json[i] == '\n' || json[i] == '\r'))
		i++;
	if (i == len || json[i] != (shape == DS_JSON_OBJECT ? '{' : '['))
	{
		*error = psprintf("expected a JSON %s", shape == DS_JSON_OBJECT ? "object" : "array");
		return false;
	}

	st.lex = ds_json_lex_context(json, len, encoding);
	st.out = out;
	sem.semstate = &st;
	sem.object_start = container_start;
	sem.array_start = container_start;
	sem.object_end = container_end;
	sem.array_end = container_end;
	sem.object_field_start = field_start;
	sem.scalar = scalar;
	rc = pg_parse_json(st.lex, &sem);
	if (rc != JSON_SUCCESS)
	{
#ifdef FRONTEND
		/* libpgcommon's frontend build has no json_errdetail(). */
		*error = psprintf("invalid JSON (error %d) at byte %d", (int) rc,
						  (int) (st.lex->token_start - st.lex->input) + 1);
#else
		*error = json_errdetail(rc, st.lex);
#endif
		out->count = 0;
		return false;
	}
	return true;
}

DsJsonItem *
ds_json_member(const DsJsonItems *items, const char *key)
{
	for (int i = items->count - 1; i >= 0; i--)
	{
		if (items->items[i].key && strcmp(items->items[i].key, key) == 0)
			return &items->items[i];
	}
	return NULL;
}
