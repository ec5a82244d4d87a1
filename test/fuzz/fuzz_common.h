/*
 * fuzz_common.h
 *		Checks shared by the fuzz harnesses: what every item json_scan
 *		returns must look like, whatever the input was.
 */
#ifndef DS_FUZZ_COMMON_H
#define DS_FUZZ_COMMON_H

#include "postgres_fe.h"

#include "mb/pg_wchar.h"

#include "core/json_scan.h"

static void
fuzz_fail(const char *what)
{
	fprintf(stderr, "invariant broken: %s\n", what);
	abort();
}

/*
 * palloc for the harnesses: in the backend the parsers' allocations live in
 * a memory context the caller resets after each line or answer; here every
 * allocation is kept on a list that fuzz_reset() frees after each input, so
 * memory stays flat over millions of runs.  These definitions take the place
 * of libpgcommon's fe_memutils ones.
 */
typedef struct FuzzChunk
{
	struct FuzzChunk *prev;
	struct FuzzChunk *next;
	size_t		size;
	max_align_t align[];
} FuzzChunk;

static FuzzChunk fuzz_chunks = {&fuzz_chunks, &fuzz_chunks, 0};

static void *
fuzz_link(FuzzChunk *c, size_t size)
{
	if (c == NULL)
		fuzz_fail("out of memory");
	c->size = size;
	c->next = fuzz_chunks.next;
	c->prev = &fuzz_chunks;
	c->next->prev = c;
	fuzz_chunks.next = c;
	return c->align;
}

static FuzzChunk *
fuzz_unlink(void *p)
{
	FuzzChunk  *c = (FuzzChunk *) ((char *) p - offsetof(FuzzChunk, align));

	c->prev->next = c->next;
	c->next->prev = c->prev;
	return c;
}

void *
palloc(Size size)
{
	return fuzz_link(malloc(sizeof(FuzzChunk) + size), size);
}

void *
palloc0(Size size)
{
	return fuzz_link(calloc(1, sizeof(FuzzChunk) + size), size);
}

void *
palloc_extended(Size size, int flags)
{
	return (flags & MCXT_ALLOC_ZERO) ? palloc0(size) : palloc(size);
}

void
pfree(void *p)
{
	free(fuzz_unlink(p));
}

void *
repalloc(void *p, Size size)
{
	return fuzz_link(realloc(fuzz_unlink(p), sizeof(FuzzChunk) + size), size);
}

char *
pstrdup(const char *s)
{
	return pnstrdup(s, strlen(s));
}

char *
pnstrdup(const char *s, Size len)
{
	char	   *r;

	len = strnlen(s, len);
	r = palloc(len + 1);
	memcpy(r, s, len);
	r[len] = '\0';
	return r;
}

static void
fuzz_reset(void)
{
	while (fuzz_chunks.next != &fuzz_chunks)
		free(fuzz_unlink(fuzz_chunks.next->align));
}

static bool
fuzz_valid_utf8(const char *s, int len)
{
	return pg_encoding_verifymbstr(PG_UTF8, s, len) == len;
}

/* RFC 8259 number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool
fuzz_json_number(const char *s, int len)
{
	int			i = 0;

	if (i < len && s[i] == '-')
		i++;
	if (i < len && s[i] == '0')
		i++;
	else if (i < len && s[i] >= '1' && s[i] <= '9')
		while (i < len && isdigit((unsigned char) s[i]))
			i++;
	else
		return false;
	if (i < len && s[i] == '.')
	{
		if (++i == len || !isdigit((unsigned char) s[i]))
			return false;
		while (i < len && isdigit((unsigned char) s[i]))
			i++;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E'))
	{
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i == len || !isdigit((unsigned char) s[i]))
			return false;
		while (i < len && isdigit((unsigned char) s[i]))
			i++;
	}
	return i == len;
}

/*
 * Every item of a scan of input[0..len): the right kind of text, strings
 * valid UTF-8 without NULs, containers a slice of the input that parses
 * again as the same shape.
 */
static void
fuzz_check_items(const DsJsonItems *items, bool members, const char *input, int len)
{
	for (int i = 0; i < items->count; i++)
	{
		const DsJsonItem *it = &items->items[i];

		if (members != (it->key != NULL))
			fuzz_fail("member without key or element with one");
		if (it->key && !fuzz_valid_utf8(it->key, strlen(it->key)))
			fuzz_fail("key is not UTF-8");
		switch (it->kind)
		{
			case DS_PARAM_NULL:
				if (it->text != NULL || it->len != 0)
					fuzz_fail("null with text");
				break;
			case DS_PARAM_STRING:
				if ((int) strlen(it->text) != it->len || !fuzz_valid_utf8(it->text, it->len))
					fuzz_fail("string with NUL or invalid UTF-8");
				break;
			case DS_PARAM_NUMBER:
				if (!fuzz_json_number(it->text, it->len))
					fuzz_fail("number that is not a JSON number");
				break;
			case DS_PARAM_BOOL:
				if (strcmp(it->text, "true") != 0 && strcmp(it->text, "false") != 0)
					fuzz_fail("boolean that is not true or false");
				break;
			case DS_PARAM_JSON:
				{
					DsJsonItems inner;
					char	   *error;
					bool		object = it->text[0] == '{';

					if (it->text < input || it->text + it->len > input + len || it->len < 2)
						fuzz_fail("container outside the input");
					if (!(object && it->text[it->len - 1] == '}') &&
						!(it->text[0] == '[' && it->text[it->len - 1] == ']'))
						fuzz_fail("container text is not bracketed");
					if (!ds_json_scan(it->text, it->len, PG_UTF8,
									  object ? DS_JSON_OBJECT : DS_JSON_ARRAY, &inner, &error))
						fuzz_fail("container text does not parse again");
					fuzz_check_items(&inner, object, it->text, it->len);
				}
				break;
			default:
				fuzz_fail("unknown kind");
		}
	}
}

#endif							/* DS_FUZZ_COMMON_H */
