/*
 * fuzz_params.c
 *		libFuzzer harness for the params binder: the JSON params array
 *		(src/params.c over src/json_scan.c) and the placeholders rewriting
 *		(src/placeholders.c), built from the same sources with -DFRONTEND.
 *
 * The input is SQL, a NUL byte, then the params array.  An input the
 * backend would refuse with an ERROR is counted as rejected.  For the rest,
 * an independent lexer that follows MySQL's rules (quotes with backslash
 * and doubled-quote escapes, backticks, -- , # and C comments) reads the
 * original and the rewritten SQL:
 *  - $n -> ? rewriting changes nothing but the placeholders, and binds
 *    each ? to the value its $n named;
 *  - splicing values in as literals (StarRocks) changes nothing but the
 *    placeholders, and each literal reads back, through MySQL's unescaping,
 *    as exactly the value: no value can end its literal early or leak into
 *    the statement.  The escaping is the client library's own
 *    mysql_escape_string(), the function the backend calls per connection.
 */
#include "fuzz_common.h"

#include <mysql.h>

#include "core/params.h"
#include "mysql/placeholders.h"

sigjmp_buf *fuzz_error_jump;

typedef enum SegKind
{
	SEG_OTHER,					/* one byte of anything else */
	SEG_WORD,					/* a run of identifier characters */
	SEG_QUOTED,					/* '...', "..." or `...`, raw */
	SEG_COMMENT,
	SEG_PLACEHOLDER				/* $n (number n) or ? (number 0) */
} SegKind;

typedef struct Seg
{
	SegKind		kind;
	const char *text;
	int			len;
	int			number;
} Seg;

static bool
ident(char c)
{
	return isalnum((unsigned char) c) || c == '_' || c == '$' || (unsigned char) c >= 0x80;
}

static int
lex(const char *s, int len, Seg *segs, int max)
{
	int			n = 0;
	int			i = 0;

	while (i < len && n < max)
	{
		Seg		   *g = &segs[n++];
		int			start = i;
		char		c = s[i];

		g->number = 0;
		if (c == '\'' || c == '"' || c == '`')
		{
			g->kind = SEG_QUOTED;
			for (i++; i < len; i++)
			{
				if (c != '`' && s[i] == '\\')
					i++;
				else if (s[i] == c && i + 1 < len && s[i + 1] == c)
					i++;
				else if (s[i] == c)
					break;
			}
			i = Min(i + 1, len);
		}
		else if (c == '#' ||
				 (c == '-' && i + 1 < len && s[i + 1] == '-' &&
				  (i + 2 == len || (unsigned char) s[i + 2] <= ' ' || s[i + 2] == 0x7f)))
		{
			g->kind = SEG_COMMENT;
			while (i < len && s[i] != '\n')
				i++;
		}
		else if (c == '/' && i + 1 < len && s[i + 1] == '*')
		{
			g->kind = SEG_COMMENT;
			for (i += 2; i < len && !(s[i] == '*' && i + 1 < len && s[i + 1] == '/'); i++)
				;
			i = Min(i + 2, len);
		}
		else if (c == '?')
		{
			g->kind = SEG_PLACEHOLDER;
			i++;
		}
		else if (ident(c))
		{
			while (i < len && ident(s[i]))
				i++;
			g->kind = SEG_WORD;
			/* $n alone, not glued to a name on either side, is a placeholder. */
			if (c == '$' && i - start > 1)
			{
				bool		digits = true;

				for (int k = start + 1; k < i; k++)
					digits = digits && isdigit((unsigned char) s[k]);
				if (digits)
				{
					g->kind = SEG_PLACEHOLDER;
					for (int k = start + 1; k < i && g->number < 10000000; k++)
						g->number = g->number * 10 + (s[k] - '0');
					if (g->number == 0)
						g->number = -1; /* $0: must be refused */
				}
			}
		}
		else
		{
			g->kind = SEG_OTHER;
			i++;
		}
		g->text = s + start;
		g->len = i - start;
	}
	if (i < len)
		return -1;				/* too many to compare */
	return n;
}

static bool
seg_equal(const Seg *a, const Seg *b)
{
	return a->kind == b->kind && a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
}

/* MySQL's reading of a '...' literal's body. */
static char *
unescape(const char *s, int len, int *outlen)
{
	char	   *out = palloc(len + 1);
	int			o = 0;

	for (int i = 0; i < len; i++)
	{
		if (s[i] == '\\' && i + 1 < len)
		{
			char		e = s[++i];

			switch (e)
			{
				case '0': out[o++] = '\0'; break;
				case 'b': out[o++] = '\b'; break;
				case 'n': out[o++] = '\n'; break;
				case 'r': out[o++] = '\r'; break;
				case 't': out[o++] = '\t'; break;
				case 'Z': out[o++] = '\032'; break;
				case '%':
				case '_': out[o++] = '\\'; out[o++] = e; break;
				default: out[o++] = e; break;
			}
		}
		else if (s[i] == '\'' && i + 1 < len && s[i + 1] == '\'')
			out[o++] = s[i++];
		else
			out[o++] = s[i];
	}
	*outlen = o;
	return out;
}

static char *
escape(void *arg, const char *from, size_t len)
{
	char	   *to = palloc(len * 2 + 1);

	mysql_escape_string(to, from, len);
	return to;
}

#define MAXSEG 4096

static void
check_qmarks(const char *sql, DsParams *params, Seg *orig, int norig)
{
	int		   *order;
	int			norder;
	char	   *out = ds_sql_qmarks(sql, params->count, &order, &norder);
	Seg		   *got = palloc(sizeof(Seg) * MAXSEG);
	int			ngot = lex(out, strlen(out), got, MAXSEG);
	int			k = 0;

	if (order == NULL)
	{
		if (strcmp(out, sql) != 0)
			fuzz_fail("qmarks changed SQL without $n");
		return;
	}
	if (ngot != norig)
		fuzz_fail("qmarks changed the statement's shape");
	for (int i = 0; i < norig; i++)
	{
		if (orig[i].kind == SEG_PLACEHOLDER)
		{
			if (got[i].kind != SEG_PLACEHOLDER || got[i].number != 0 || k >= norder ||
				order[k] != orig[i].number - 1 || order[k] >= params->count)
				fuzz_fail("a $n is not bound to its value");
			k++;
		}
		else if (!seg_equal(&orig[i], &got[i]))
			fuzz_fail("qmarks changed text outside the placeholders");
	}
	if (k != norder)
		fuzz_fail("qmarks order has extra entries");
}

static void
expect_space(Seg *got, int ngot, int *g)
{
	if (*g >= ngot || got[*g].kind != SEG_OTHER || got[*g].text[0] != ' ')
		fuzz_fail("no space between a quote or name and a spliced value");
	(*g)++;
}

static void
check_inline(const char *sql, DsParams *params, Seg *orig, int norig)
{
	char	   *out = ds_sql_inline_params(sql, params, escape, NULL);
	int			outlen = strlen(out);
	Seg		   *got = palloc(sizeof(Seg) * MAXSEG);
	int			ngot = lex(out, outlen, got, MAXSEG);
	int			g = 0;
	int			next = 0;

	if (ngot < 0)
		return;
	for (int i = 0; i < norig; i++)
	{
		DsParam    *p;

		if (orig[i].kind != SEG_PLACEHOLDER)
		{
			if (g >= ngot || !seg_equal(&orig[i], &got[g++]))
				fuzz_fail("inlining changed text outside the placeholders");
			continue;
		}
		p = &params->items[orig[i].number > 0 ? orig[i].number - 1 : next++];
		/* A quote or a name next to the placeholder gets a space between. */
		if (i > 0 && (orig[i - 1].kind == SEG_QUOTED || orig[i - 1].kind == SEG_WORD))
			expect_space(got, ngot, &g);
		switch (p->kind)
		{
			case DS_PARAM_NULL:
			case DS_PARAM_BOOL:
				{
					const char *word = p->kind == DS_PARAM_NULL ? "NULL"
						: p->text[0] == 't' ? "TRUE" : "FALSE";

					if (g >= ngot || got[g].kind != SEG_WORD || got[g].len != (int) strlen(word) ||
						memcmp(got[g].text, word, got[g].len) != 0)
						fuzz_fail("NULL or boolean not inlined as its keyword");
					g++;
				}
				break;
			case DS_PARAM_NUMBER:
				{
					/* The number's own segments, then the statement goes on. */
					Seg			num[64];
					int			nnum = lex(p->text, p->len, num, 64);

					if (nnum < 0)
						return;
					for (int k = 0; k < nnum; k++)
						if (g >= ngot || !seg_equal(&num[k], &got[g++]))
							fuzz_fail("number not inlined as itself");
				}
				break;
			default:
				{
					int			vlen;
					char	   *v;

					if (g >= ngot || got[g].kind != SEG_QUOTED || got[g].text[0] != '\'' ||
						got[g].len < 2 || got[g].text[got[g].len - 1] != '\'')
						fuzz_fail("string not inlined as one quoted literal");
					v = unescape(got[g].text + 1, got[g].len - 2, &vlen);
					if (vlen != p->len || memcmp(v, p->text, vlen) != 0)
						fuzz_fail("literal does not read back as the value");
					g++;
				}
				break;
		}
		if (i + 1 < norig && (orig[i + 1].kind == SEG_QUOTED || orig[i + 1].kind == SEG_WORD ||
							  orig[i + 1].kind == SEG_PLACEHOLDER))
			expect_space(got, ngot, &g);
	}
	if (g != ngot)
		fuzz_fail("inlining added text at the end");
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	/* The client library's default character set is set up here. */
	mysql_library_init(0, NULL, NULL);
	return 0;
}

static int
run_one(const uint8_t *data, size_t size)
{
	const char *nul = memchr(data, '\0', size);
	char	   *sql = pnstrdup((const char *) data, nul ? nul - (const char *) data : (int) size);
	const char *json = nul ? nul + 1 : "[]";
	int			jsonlen = nul ? (int) (size - (nul + 1 - (const char *) data)) : 2;
	DsParams	params;
	char	   *error;
	Seg		   *orig = palloc(sizeof(Seg) * MAXSEG);
	int			norig;
	bool		dollar_zero = false;
	sigjmp_buf	jump;

	jsonlen = pg_encoding_verifymbstr(PG_UTF8, json, jsonlen);
	if (!ds_params_parse(json, jsonlen, PG_UTF8, &params, &error))
		return 0;
	for (int i = 0; i < params.count; i++)
	{
		DsParam    *p = &params.items[i];

		if ((p->kind == DS_PARAM_NULL) != (p->text == NULL) ||
			(p->text && (int) strlen(p->text) != p->len))
			fuzz_fail("param text and kind disagree");
	}
	norig = lex(sql, strlen(sql), orig, MAXSEG);
	if (norig < 0)
		return 0;
	for (int i = 0; i < norig; i++)
		if (orig[i].kind == SEG_PLACEHOLDER && orig[i].number == -1)
			dollar_zero = true;

	fuzz_error_jump = &jump;
	if (sigsetjmp(jump, 0) == 0)
	{
		check_qmarks(sql, &params, orig, norig);
		if (dollar_zero)
			fuzz_fail("$0 accepted by the $n rewriting");
	}
	if (sigsetjmp(jump, 0) == 0)
	{
		check_inline(sql, &params, orig, norig);
		if (dollar_zero)
			fuzz_fail("$0 accepted by the inlining");
	}
	fuzz_error_jump = NULL;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run_one(data, size);
	fuzz_reset();
	return 0;
}
