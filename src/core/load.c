/*
 * load.c
 *		The result of a load, in the shape of a StarRocks stream-load
 *		response whatever the store.
 *
 * A load that does not succeed raises an ERROR (with that result in the
 * detail) after making sure nothing of it stays loaded: a caller that
 * ignores a status can lose no data.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "core/jsonb_row.h"
#include "core/load.h"

static void
add_pair(DsJsonbObject *b, const char *key, JsonbValue *v)
{
	JsonbValue	k;

	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	ds_jsonb_object_add(b, &k, v);
}

static void
add_int(DsJsonbObject *b, const char *key, int64 n)
{
	JsonbValue	v;

	v.type = jbvNumeric;
	v.val.numeric = int64_to_numeric(n);
	add_pair(b, key, &v);
}

static void
add_str(DsJsonbObject *b, const char *key, const char *s)
{
	JsonbValue	v;

	v.type = jbvString;
	v.val.string.val = (char *) s;
	v.val.string.len = strlen(s);
	add_pair(b, key, &v);
}

static Jsonb *
result_jsonb(const DsLoadResult *r, bool with_time)
{
	DsJsonbObject b;

	ds_jsonb_object_begin(&b);
	add_str(&b, "Status", r->status);
	add_int(&b, "NumberTotalRows", r->total);
	add_int(&b, "NumberLoadedRows", r->loaded);
	add_int(&b, "NumberFilteredRows", r->filtered);
	add_int(&b, "LoadBytes", r->bytes);
	if (with_time)
		add_int(&b, "LoadTimeMs", r->time_ms);
	add_str(&b, "Message", r->message ? r->message : "");
	return ds_jsonb_object_finish(&b);
}

Jsonb *
ds_load_result_jsonb(const DsLoadResult *r)
{
	return result_jsonb(r, true);
}

Jsonb *
ds_load_result_with(Jsonb *result, const char *key, JsonbValue *v)
{
	DsJsonbObject b;
	JsonbValue	k;

	ds_jsonb_object_begin(&b);
	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	ds_jsonb_object_add(&b, &k, v);
	return DatumGetJsonbP(DirectFunctionCall2(jsonb_concat, JsonbPGetDatum(result),
											  JsonbPGetDatum(ds_jsonb_object_finish(&b))));
}

void
ds_load_failed(const char *store, const char *target, const DsLoadResult *r)
{
	Jsonb	   *jb = result_jsonb(r, false);

	ereport(ERROR,
			(errcode(ERRCODE_DATA_EXCEPTION),
			 errmsg("stream load into \"%s\" on datastore \"%s\" failed: the server refused or changed %lld of %lld rows",
					target, store, (long long) r->filtered, (long long) r->total),
			 errdetail("Nothing was loaded. Result: %s",
					   JsonbToCString(NULL, &jb->root, VARSIZE(jb))),
			 errhint("Fix or filter the rows in the source query: the target keeps no load in which it refused or changed a row.")));
}


const char *const ds_load_mode_names[] = {"append", "upsert", "delete", "mirror", NULL};

Jsonb *
ds_load_result_changes(Jsonb *result, int mode, int64 inserted, int64 updated,
					   int64 deleted)
{
	DsJsonbObject b;

	ds_jsonb_object_begin(&b);
	add_str(&b, "Mode", ds_load_mode_names[mode]);
	if (inserted >= 0)
		add_int(&b, "NumberInsertedRows", inserted);
	if (updated >= 0)
		add_int(&b, "NumberUpdatedRows", updated);
	if (deleted >= 0)
		add_int(&b, "NumberDeletedRows", deleted);
	return DatumGetJsonbP(DirectFunctionCall2(jsonb_concat, JsonbPGetDatum(result),
											  JsonbPGetDatum(ds_jsonb_object_finish(&b))));
}

void
ds_load_require_key_columns(List *key, int ncols, char **cols, const char *target)
{
	ListCell   *lc;

	foreach(lc, key)
	{
		const char *name = lfirst(lc);
		int			i;

		for (i = 0; i < ncols; i++)
			if (strcmp(cols[i], name) == 0)
				break;
		if (i == ncols)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("key column \"%s\" of \"%s\" is not among the columns loaded", name, target),
					 errhint("A load by key must carry every key column: select it in the source query or name it in options->'columns'.")));
	}
}

void
ds_load_no_key(const char *store, const char *target, int mode)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("a load in mode \"%s\" into \"%s\" on datastore \"%s\" needs a key",
					ds_load_mode_names[mode], target, store),
			 errdetail("The target has no primary key."),
			 errhint("Name the key columns in options->'key', or give the target a primary key.")));
}

void
ds_load_check_deletes(const DsLoadOptions *opts, int64 deleted, bool exact,
					  const char *store, const char *target)
{
	if (opts == NULL || !opts->has_max_delete || opts->mode != DS_MODE_MIRROR ||
		deleted <= opts->max_delete)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_CHECK_VIOLATION),
			 errmsg("mirror into \"%s\" on datastore \"%s\" would delete more rows than options->'max_delete' allows (" INT64_FORMAT ")",
					target, store, opts->max_delete),
			 exact ? errdetail("It would delete " INT64_FORMAT " rows whose keys the source lacks; nothing was changed.", deleted)
			 : errdetail("It would delete at least " INT64_FORMAT " rows whose keys the source lacks; nothing was changed.", deleted),
			 errhint("Check that the source query returns every row the target is to keep; raise max_delete if these deletes are meant.")));
}
