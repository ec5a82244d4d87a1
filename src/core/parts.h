/*
 * parts.h
 *		Values after their 4-byte big-endian lengths, one after another: how
 *		ds_diff packs a row into its sort and how a StarRocks mirror packs a
 *		key, so that ("ab", "c") is never ("a", "bc") and bytes compare in
 *		the order of their parts.
 */
#ifndef DS_PARTS_H
#define DS_PARTS_H

#include "lib/stringinfo.h"

/* len as 4 big-endian bytes at p. */
static inline void
ds_part_length(char *p, uint32 len)
{
	p[0] = (char) (len >> 24);
	p[1] = (char) (len >> 16);
	p[2] = (char) (len >> 8);
	p[3] = (char) len;
}

/* data after its length; one enlarge, not one per append. */
static inline void
ds_part_put(StringInfo buf, const char *data, uint32 len)
{
	enlargeStringInfo(buf, len + 4);
	ds_part_length(buf->data + buf->len, len);
	memcpy(buf->data + buf->len + 4, data, len);
	buf->len += len + 4;
	buf->data[buf->len] = '\0';
}

/* The part at *p (its length into *len); *p moves past it. */
static inline const char *
ds_part_get(const char **p, uint32 *len)
{
	const unsigned char *u = (const unsigned char *) *p;
	const char *data;

	*len = ((uint32) u[0] << 24) | ((uint32) u[1] << 16) | ((uint32) u[2] << 8) | u[3];
	data = *p + 4;
	*p = data + *len;
	return data;
}

#endif							/* DS_PARTS_H */
