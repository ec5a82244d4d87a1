/*
 * value_kind.h
 *		What a value is, for binders and encoders: NULL, a string, a number,
 *		a boolean or a JSON container.  Free of backend headers, so the
 *		encoders can be built into standalone fuzzers.
 */
#ifndef DS_VALUE_KIND_H
#define DS_VALUE_KIND_H

typedef enum DsParamKind
{
	DS_PARAM_NULL,
	DS_PARAM_STRING,
	DS_PARAM_NUMBER,
	DS_PARAM_BOOL,				/* text "1"/"0" (loads) or "true"/"false" (params) */
	DS_PARAM_JSON				/* an object or array, as JSON text */
} DsParamKind;

#endif							/* DS_VALUE_KIND_H */
