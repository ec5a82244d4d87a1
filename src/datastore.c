/*
 * datastore.c
 *		Module entry point.
 *
 * Loading the library must stay cheap and must not touch any client
 * library: drivers are loaded on first use of a store that needs them.
 */
#include "postgres.h"

#include "fmgr.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

void
_PG_init(void)
{
}
