/*
 * datastore.c
 *		Module entry point.
 *
 * Loading the library must stay cheap and must not touch any client
 * library: drivers are loaded on first use of a store that needs them.
 * That holds in shared_preload_libraries too, where the library is loaded
 * into the postmaster to set up the shared memory of ds_progress().
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/guc.h"

#include "core/progress.h"
#include "core/settings.h"
#include "registry/registry.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

void
_PG_init(void)
{
	ds_settings_define();
	ds_registry_init();
	ds_progress_define_settings();
	MarkGUCPrefixReserved("datastore");
	/* Shared memory for ds_progress() exists only when preloaded. */
	ds_progress_init();
}
