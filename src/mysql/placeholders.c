/*
 * placeholders.c
 *		Finding placeholders in MySQL-dialect SQL.
 *
 * ds_query and ds_exec take $1..$n on every store.  MySQL prepares ?
 * placeholders, so $n are found by a small scanner that knows MySQL's
 * quoting and comments ('...', "...", `...` with backslash and doubled-quote
 * escapes; -- , # and C-style comments) and the fact that $ may be part of
 * an unquoted identifier (a$1 is a name, not a placeholder).
 */
#ifdef FRONTEND
#include "postgres_fe.h"
#else
#include "postgres.h"
#endif

#include <ctype.h>

#include "lib/stringinfo.h"

#include "mysql/placeholders.h"

typedef struct Placeholder
{
	int			start;			/* byte offset in the SQL */
	int			end;			/* one past the last byte */
	int			number;			/* 1-based $n, or 0 for ? */
} Placeholder;

static bool
is_ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9') || c == '_' || c == '$' || (unsigned char) c >= 0x80;
}

typedef struct Found
{
	int			count;
	int			allocated;
	Placeholder *items;
} Found;

static Placeholder *
add_placeholder(Found *found)
{
	if (found->count == found->allocated)
	{
		found->allocated = Max(8, found->allocated * 2);
		found->items = found->items == NULL
			? palloc(sizeof(Placeholder) * found->allocated)
			: repalloc(found->items, sizeof(Placeholder) * found->allocated);
	}
	return &found->items[found->count++];
}

static bool
is_quote(char c)
{
	return c == '\'' || c == '"' || c == '`';
}

/* Returns the placeholders of sql, in order. */
static Found
scan(const char *sql)
{
	Found		found = {0};
	int			len = strlen(sql);
	int			i = 0;

	while (i < len)
	{
		char		c = sql[i];

		if (c == '\'' || c == '"' || c == '`')
		{
			char		quote = c;

			for (i++; i < len; i++)
			{
				if (sql[i] == '\\' && quote != '`')
					i++;
				else if (sql[i] == quote)
				{
					if (i + 1 < len && sql[i + 1] == quote)
						i++;
					else
						break;
				}
			}
			i++;
		}
		else if (c == '#' || (c == '-' && i + 1 < len && sql[i + 1] == '-' &&
							  (i + 2 == len || isspace((unsigned char) sql[i + 2]) ||
							   iscntrl((unsigned char) sql[i + 2]))))
		{
			while (i < len && sql[i] != '\n')
				i++;
		}
		else if (c == '/' && i + 1 < len && sql[i + 1] == '*')
		{
			char	   *close = strstr(sql + i + 2, "*/");

			i = close ? (int) (close - sql) + 2 : len;
		}
		else if (c == '?')
		{
			Placeholder *p = add_placeholder(&found);

			p->start = i;
			p->end = i + 1;
			p->number = 0;
			i++;
		}
		else if (c == '$' && i + 1 < len && isdigit((unsigned char) sql[i + 1]) &&
				 (i == 0 || !is_ident_char(sql[i - 1])))
		{
			Placeholder p;
			int			j = i + 1;
			int			n = 0;

			while (j < len && isdigit((unsigned char) sql[j]))
			{
				if (n > 100000)
					ereport(ERROR,
							(errcode(ERRCODE_UNDEFINED_PARAMETER),
							 errmsg("placeholder number too large at position %d", i + 1)));
				n = n * 10 + (sql[j] - '0');
				j++;
			}
			if (j < len && is_ident_char(sql[j]))
			{
				/* $1abc is an identifier */
				i = j;
				continue;
			}
			if (n == 0)
				ereport(ERROR,
						(errcode(ERRCODE_UNDEFINED_PARAMETER),
						 errmsg("there is no parameter $0 (at position %d)", i + 1),
						 errhint("Parameters are numbered from $1.")));
			p.start = i;
			p.end = j;
			p.number = n;
			*add_placeholder(&found) = p;
			i = j;
		}
		else if (is_ident_char(c))
		{
			while (i < len && is_ident_char(sql[i]))
				i++;
		}
		else
			i++;
	}
	return found;
}

static void
check_styles(Found *found, int nparams)
{
	bool		dollar = false;
	bool		qmark = false;

	for (int i = 0; i < found->count; i++)
	{
		Placeholder *p = &found->items[i];

		if (p->number == 0)
			qmark = true;
		else
		{
			dollar = true;
			if (p->number > nparams)
				ereport(ERROR,
						(errcode(ERRCODE_UNDEFINED_PARAMETER),
						 errmsg("query uses parameter $%d but params has %d value%s",
								p->number, nparams, nparams == 1 ? "" : "s"),
						 errhint("Pass one element of the params array for each $n.")));
		}
	}
	if (dollar && qmark)
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("query mixes ? and $n placeholders"),
				 errhint("Use either ? (bound in order) or $1..$n.")));
}

char *
ds_sql_qmarks(const char *sql, int nparams, int **order, int *norder)
{
	Found		found = scan(sql);
	StringInfoData buf;
	int			pos = 0;
	int			k = 0;

	check_styles(&found, nparams);
	*order = NULL;
	*norder = 0;
	if (found.count == 0 || found.items[0].number == 0)
		return pstrdup(sql);

	initStringInfo(&buf);
	*order = palloc(sizeof(int) * found.count);
	for (int i = 0; i < found.count; i++)
	{
		Placeholder *p = &found.items[i];

		appendBinaryStringInfo(&buf, sql + pos, p->start - pos);
		appendStringInfoChar(&buf, '?');
		(*order)[k++] = p->number - 1;
		pos = p->end;
	}
	appendStringInfoString(&buf, sql + pos);
	*norder = k;
	return buf.data;
}

char *
ds_sql_inline_params(const char *sql, DsParams *params, DsEscapeFn escape, void *arg)
{
	Found		found = scan(sql);
	StringInfoData buf;
	int			pos = 0;
	int			next = 0;

	check_styles(&found, params->count);
	initStringInfo(&buf);
	for (int i = 0; i < found.count; i++)
	{
		Placeholder *p = &found.items[i];
		int			idx = p->number > 0 ? p->number - 1 : next++;
		DsParam    *v;

		if (idx >= params->count)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_PARAMETER),
					 errmsg("query has more ? placeholders than params has values (%d)",
							params->count)));
		v = &params->items[idx];
		appendBinaryStringInfo(&buf, sql + pos, p->start - pos);

		/*
		 * 'a'$1 must not become 'a''b', nor x?y become x5y: a quote or a name
		 * next to a literal would join the two into one token.  A space keeps
		 * them apart.
		 */
		if (p->start > 0 && (is_quote(sql[p->start - 1]) || is_ident_char(sql[p->start - 1])))
			appendStringInfoChar(&buf, ' ');
		switch (v->kind)
		{
			case DS_PARAM_NULL:
				appendStringInfoString(&buf, "NULL");
				break;
			case DS_PARAM_BOOL:
				appendStringInfoString(&buf, v->text[0] == 't' ? "TRUE" : "FALSE");
				break;
			case DS_PARAM_NUMBER:
				/* numeric_out text: digits, sign, point only */
				appendStringInfoString(&buf, v->text);
				break;
			default:
				appendStringInfoChar(&buf, '\'');
				appendStringInfoString(&buf, escape(arg, v->text, v->len));
				appendStringInfoChar(&buf, '\'');
				break;
		}
		if (is_quote(sql[p->end]) || is_ident_char(sql[p->end]) || sql[p->end] == '?')
			appendStringInfoChar(&buf, ' ');
		pos = p->end;
	}
	appendStringInfoString(&buf, sql + pos);
	return buf.data;
}
