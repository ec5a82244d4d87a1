/*
 * dynload.c
 *		Lazy loading of client libraries (MySQL, libpq, libcurl).
 *
 * RTLD_DEEPBIND keeps a library's calls to its own helpers inside it: the
 * MySQL client has a list_delete, as PostgreSQL has.  A backend that never
 * needs a library never maps it.
 */
#include "postgres.h"

#include <dlfcn.h>
#include <link.h>

#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/varlena.h"

#include "core/dynload.h"

static DsLibrary *libraries = NULL;

void
ds_library_define(DsLibrary *lib)
{
	DsLibrary **tail = &libraries;

	DefineCustomStringVariable(lib->setting, lib->description,
							   "Names for dlopen(), or absolute paths, separated by commas.",
							   &lib->names, lib->candidates, PGC_SUSET, 0, NULL, NULL, NULL);
	while (*tail)
		tail = &(*tail)->next;
	lib->next = NULL;
	*tail = lib;
}

const DsLibrary *
ds_libraries(void)
{
	return libraries;
}

void
ds_library_load(DsLibrary *lib)
{
	StringInfoData why;
	const char *names = lib->names;
	char	   *list;
	List	   *candidates = NIL;
	ListCell   *lc;

	if (lib->loaded)
		return;
	list = pstrdup(names ? names : "");
	if (!SplitGUCList(list, ',', &candidates) || candidates == NIL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s is not a list of library names", lib->setting),
				 errdetail("It is \"%s\".", names ? names : "")));

	initStringInfo(&why);
	foreach(lc, candidates)
	{
		const char *name = lfirst(lc);
		void	   *handle;
		struct link_map *map = NULL;

		dlerror();
		handle = dlopen(name, RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
		if (handle == NULL)
		{
			const char *err = dlerror();

			appendStringInfo(&why, "\n  %s: %s", name, err ? err : "unknown dlopen error");
			continue;
		}
		if (!lib->accept(handle, name, &why))
		{
			dlclose(handle);
			continue;
		}
		/* Report the file actually mapped, not the name asked for. */
		if (dlinfo(handle, RTLD_DI_LINKMAP, &map) == 0 && map && map->l_name[0])
			name = map->l_name;
		lib->loaded = MemoryContextStrdup(TopMemoryContext, name);
		return;
	}
	ereport(ERROR,
			(errcode(ERRCODE_SYSTEM_ERROR),
			 errmsg("could not load %s for datastore", lib->what),
			 errdetail("Tried:%s", why.data),
			 errhint("%s", lib->hint)));
}
