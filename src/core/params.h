/*
 * params.h
 *		The params jsonb array of ds_query/ds_exec, unpacked for binding.
 */
#ifndef DS_PARAMS_H
#define DS_PARAMS_H

#include "core/value_kind.h"

/*
 * Every value keeps its text form, which is what a text-protocol binder or
 * a type input function takes; the kind lets a driver bind natively.
 */
typedef struct DsParam
{
	DsParamKind kind;
	char	   *text;			/* NULL for DS_PARAM_NULL */
	int			len;
} DsParam;

typedef struct DsParams
{
	int			count;
	DsParam    *items;
} DsParams;

/*
 * A JSON array's text as params: false (with *error) if it is not one.
 * Strings are de-escaped, numbers keep their JSON text, containers their
 * JSON text.  Backend-free.
 */
extern bool ds_params_parse(const char *json, int len, int encoding,
							DsParams *out, char **error);

#ifndef FRONTEND
#include "utils/jsonb.h"

/* NULL jsonb means no parameters; anything but an array is an ERROR. */
extern DsParams *ds_params_from_jsonb(Jsonb *params);
#endif

#endif							/* DS_PARAMS_H */
