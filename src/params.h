/*
 * params.h
 *		The params jsonb array of ds_query/ds_exec, unpacked for binding.
 */
#ifndef DS_PARAMS_H
#define DS_PARAMS_H

#include "utils/jsonb.h"

typedef enum DsParamKind
{
	DS_PARAM_NULL,
	DS_PARAM_STRING,
	DS_PARAM_NUMBER,
	DS_PARAM_BOOL,
	DS_PARAM_JSON				/* an object or array, as JSON text */
} DsParamKind;

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

/* NULL jsonb means no parameters; anything but an array is an ERROR. */
extern DsParams *ds_params_from_jsonb(Jsonb *params);

#endif							/* DS_PARAMS_H */
