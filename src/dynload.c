/*
 * dynload.c
 *		Lazy loading of client libraries (MySQL, libcurl).
 *
 * RTLD_DEEPBIND keeps a library's calls to its own helpers inside it: the
 * MySQL client has a list_delete, as PostgreSQL has.  A backend that never
 * needs a library never maps it.
 */
#include "postgres.h"

#include <dlfcn.h>
#include <link.h>

#include "utils/memutils.h"
#include "utils/varlena.h"

#include "dynload.h"

char *
ds_load_library(const char *what, const char *names, const char *setting,
				DsLibAccept accept, void *arg, const char *hint)
{
	StringInfoData why;
	char	   *list = pstrdup(names ? names : "");
	List	   *candidates = NIL;
	ListCell   *lc;

	if (!SplitGUCList(list, ',', &candidates) || candidates == NIL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s is not a list of library names", setting),
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
		if (!accept(handle, name, &why, arg))
		{
			dlclose(handle);
			continue;
		}
		/* Report the file actually mapped, not the name asked for. */
		if (dlinfo(handle, RTLD_DI_LINKMAP, &map) == 0 && map && map->l_name[0])
			return MemoryContextStrdup(TopMemoryContext, map->l_name);
		return MemoryContextStrdup(TopMemoryContext, name);
	}
	ereport(ERROR,
			(errcode(ERRCODE_SYSTEM_ERROR),
			 errmsg("could not load %s for datastore", what),
			 errdetail("Tried:%s", why.data),
			 errhint("%s", hint)));
	pg_unreachable();
}
