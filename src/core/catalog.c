/*
 * catalog.c
 *		Reading datastore.stores from C.
 *
 * The table is not readable by PUBLIC because it holds passwords, yet every
 * user of a store needs its connection settings.  So the C code reads it
 * with a plain heap scan, which checks no privileges, and never hands the
 * password back to SQL.
 */
#include "postgres.h"

#include "access/genam.h"
#include "miscadmin.h"
#include "storage/fd.h"
#include "utils/acl.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "nodes/makefuncs.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/fmgroids.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "core/catalog.h"
#include "core/jsonb_row.h"

/* Column positions in datastore.stores; the install script only appends. */
enum
{
	Anum_store_name = 1,
	Anum_store_type,
	Anum_store_host,
	Anum_store_port,
	Anum_store_user,
	Anum_store_password,
	Anum_store_database,
	Anum_store_max_connections,
	Anum_store_min_connections,
	Anum_store_http_port,
	Anum_store_options,
	Anum_store_generation,
	Anum_store_owner,
	Natts_store = Anum_store_owner
};

/* datastore.grants */
enum
{
	Anum_grant_store = 1,
	Anum_grant_grantee
};

static Relation
open_catalog_table(const char *name)
{
	Oid			relid;
	Relation	rel;

	relid = RangeVarGetRelid(makeRangeVar("datastore", (char *) name, -1),
							 AccessShareLock, true);
	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("datastore catalog table datastore.%s is missing", name),
				 errhint("Run CREATE EXTENSION datastore in this database.")));
	rel = table_open(relid, NoLock);
	if (strcmp(name, "stores") == 0 && RelationGetDescr(rel)->natts < Natts_store)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("datastore.stores does not have the expected columns"),
				 errhint("Update the extension with ALTER EXTENSION datastore UPDATE.")));
	return rel;
}

static Snapshot
catalog_snapshot(void)
{
	/* The calling statement's view, so a registration earlier in the same
	 * transaction is seen and an uncommitted one elsewhere is not. */
	return ActiveSnapshotSet() ? GetActiveSnapshot() : GetTransactionSnapshot();
}

static char *
text_or_null(Datum *values, bool *nulls, int attno)
{
	return nulls[attno - 1] ? NULL : TextDatumGetCString(values[attno - 1]);
}

static int
int_or_zero(Datum *values, bool *nulls, int attno)
{
	return nulls[attno - 1] ? 0 : DatumGetInt32(values[attno - 1]);
}

static DsStore *
store_from_tuple(HeapTuple tuple, TupleDesc desc)
{
	Datum	   *values = palloc(sizeof(Datum) * desc->natts);
	bool	   *nulls = palloc(sizeof(bool) * desc->natts);
	DsStore    *store = palloc0(sizeof(DsStore));

	heap_deform_tuple(tuple, desc, values, nulls);

	store->name = text_or_null(values, nulls, Anum_store_name);
	store->type = text_or_null(values, nulls, Anum_store_type);
	store->host = text_or_null(values, nulls, Anum_store_host);
	store->port = int_or_zero(values, nulls, Anum_store_port);
	store->user = text_or_null(values, nulls, Anum_store_user);
	store->password = text_or_null(values, nulls, Anum_store_password);
	store->database = text_or_null(values, nulls, Anum_store_database);
	store->max_connections = int_or_zero(values, nulls, Anum_store_max_connections);
	store->min_connections = int_or_zero(values, nulls, Anum_store_min_connections);
	store->http_port = int_or_zero(values, nulls, Anum_store_http_port);
	store->options = DatumGetJsonbPCopy(values[Anum_store_options - 1]);
	store->generation = DatumGetInt64(values[Anum_store_generation - 1]);
	store->owner = DatumGetObjectId(values[Anum_store_owner - 1]);
	return store;
}

DsStore *
ds_catalog_lookup(const char *name, bool missing_ok)
{
	Relation	rel = open_catalog_table("stores");
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tuple;
	DsStore    *store = NULL;

	ScanKeyInit(&key, Anum_store_name, BTEqualStrategyNumber, F_TEXTEQ,
				CStringGetTextDatum(name));
	scan = systable_beginscan(rel, InvalidOid, false, catalog_snapshot(), 1, &key);
	tuple = systable_getnext(scan);
	if (HeapTupleIsValid(tuple))
		store = store_from_tuple(tuple, RelationGetDescr(rel));
	systable_endscan(scan);
	table_close(rel, AccessShareLock);

	if (store == NULL && !missing_ok)
		ds_catalog_report_missing(name);
	return store;
}

void
ds_catalog_report_missing(const char *name)
{
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_OBJECT),
			 errmsg("datastore \"%s\" does not exist", name),
			 errhint("Register it with ds_register(); ds_stores lists the registered stores.")));
}

static int
cmp_cstring_cells(const ListCell *a, const ListCell *b)
{
	return strcmp(lfirst(a), lfirst(b));
}

List *
ds_catalog_store_names(void)
{
	Relation	rel = open_catalog_table("stores");
	SysScanDesc scan;
	HeapTuple	tuple;
	List	   *names = NIL;

	scan = systable_beginscan(rel, InvalidOid, false, catalog_snapshot(), 0, NULL);
	while (HeapTupleIsValid(tuple = systable_getnext(scan)))
	{
		bool		isnull;
		Datum		d = heap_getattr(tuple, Anum_store_name,
									 RelationGetDescr(rel), &isnull);

		names = lappend(names, TextDatumGetCString(d));
	}
	systable_endscan(scan);
	table_close(rel, AccessShareLock);

	list_sort(names, cmp_cstring_cells);
	return names;
}

static char *
pstrdup_or_null(const char *s)
{
	return s ? pstrdup(s) : NULL;
}

DsStore *
ds_store_copy(const DsStore *store, MemoryContext cxt)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);
	DsStore    *copy = palloc(sizeof(DsStore));

	*copy = *store;
	copy->name = pstrdup(store->name);
	copy->type = pstrdup(store->type);
	copy->host = pstrdup_or_null(store->host);
	copy->user = pstrdup_or_null(store->user);
	copy->password = pstrdup_or_null(store->password);
	copy->database = pstrdup_or_null(store->database);
	copy->options = (Jsonb *) datumCopy(PointerGetDatum(store->options),
										false, -1);
	MemoryContextSwitchTo(old);
	return copy;
}

bool
ds_catalog_may_use(const DsStore *store)
{
	Oid			user = GetUserId();
	Relation	rel;
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tuple;
	bool		allowed = false;

	if (superuser() || has_privs_of_role(user, store->owner))
		return true;
	rel = open_catalog_table("grants");
	ScanKeyInit(&key, Anum_grant_store, BTEqualStrategyNumber, F_TEXTEQ,
				CStringGetTextDatum(store->name));
	scan = systable_beginscan(rel, InvalidOid, false, catalog_snapshot(), 1, &key);
	while (!allowed && HeapTupleIsValid(tuple = systable_getnext(scan)))
	{
		bool		isnull;
		Oid			grantee = DatumGetObjectId(heap_getattr(tuple, Anum_grant_grantee,
															RelationGetDescr(rel), &isnull));

		allowed = (grantee == InvalidOid || has_privs_of_role(user, grantee));
	}
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return allowed;
}

void
ds_catalog_check_usage(const DsStore *store)
{
	if (!ds_catalog_may_use(store))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied for datastore \"%s\"", store->name),
				 errhint("Its owner or a superuser can allow it: SELECT ds_grant('%s', '%s');",
						 store->name, GetUserNameFromId(GetUserId(), false))));
}

bool
ds_store_owner_is_superuser(const DsStore *store)
{
	return superuser_arg(store->owner);
}

void
ds_store_refuse_owner_rights(const DsStore *store, const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("datastore \"%s\" may not %s", store->name, why),
			 errdetail("Its owner is not a superuser; only a superuser's store may lend out the server's own files, sockets or identity."),
			 errhint("Give the store a password and a TCP host, or have a superuser register it.")));
}

void
ds_store_check_owner_files(const DsStore *store)
{
	JsonbValue *ssl;

	if (ds_store_owner_is_superuser(store))
		return;
	ssl = ds_jsonb_member(store->options, "ssl");
	if (ds_jsonb_member(store->options, "password_file") != NULL)
		ds_store_refuse_owner_rights(store, "name a password_file, which the server reads");
	if (ssl != NULL && ssl->type == jbvBinary && JsonContainerIsObject(ssl->val.binary.data))
	{
		Jsonb	   *obj = JsonbValueToJsonb(ssl);

		if (ds_jsonb_member(obj, "ca") || ds_jsonb_member(obj, "cert") || ds_jsonb_member(obj, "key"))
			ds_store_refuse_owner_rights(store, "name TLS files (ssl ca, cert, key), which the server reads");
	}
}

void
ds_store_check_owner_password(const DsStore *store)
{
	if (!ds_store_owner_is_superuser(store) &&
		(store->password == NULL || store->password[0] == '\0'))
		ds_store_refuse_owner_rights(store, "connect without a password");
}

char *
ds_store_password(const DsStore *store)
{
	JsonbValue *v;
	char	   *path;
	FILE	   *f;
	char		buf[1024];
	size_t		n;

	if (store->password)
		return store->password;
	v = ds_jsonb_member(store->options, "password_file");
	if (v == NULL || v->type != jbvString)
		return NULL;
	/* Read by the server: only for a superuser's store (catalog.h). */
	ds_store_check_owner_files(store);
	path = pnstrdup(v->val.string.val, v->val.string.len);
	f = AllocateFile(path, "r");
	if (f == NULL)
	{
		/* Which server paths exist is for superusers to know. */
		int			save_errno = errno;
		bool		super = superuser();

		errno = save_errno;
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not read the password_file of datastore \"%s\"", store->name),
				 super ? errdetail("Could not open \"%s\": %m.", path) : 0,
				 super ? 0 : errhint("A superuser can see why in this message.")));
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	FreeFile(f);
	buf[n] = '\0';
	/* The first line, without its line end. */
	buf[strcspn(buf, "\r\n")] = '\0';
	return pstrdup(buf);
}

static char *
tls_member(Jsonb *ssl, const char *key, const DsStore *store)
{
	JsonbValue *v = ds_jsonb_member(ssl, key);

	if (v == NULL || v->type == jbvNull)
		return NULL;
	if (v->type != jbvString)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("options->'ssl'->'%s' of datastore \"%s\" must be a string", key, store->name)));
	return pnstrdup(v->val.string.val, v->val.string.len);
}

void
ds_store_tls(const DsStore *store, DsTls *tls)
{
	static const char *const modes[] = {"disable", "prefer", "require", "verify-ca", "verify-full"};
	JsonbValue *v;
	Jsonb	   *ssl;
	char	   *mode;

	memset(tls, 0, sizeof(*tls));
	tls->mode = DS_TLS_PREFER;
	v = ds_jsonb_member(store->options, "ssl");
	if (v == NULL)
		return;
	if (v->type != jbvBinary || !JsonContainerIsObject(v->val.binary.data))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("options->'ssl' of datastore \"%s\" must be a JSON object", store->name),
				 errhint("For example {\"mode\": \"verify-full\", \"ca\": \"/etc/ssl/db-ca.pem\"}.")));
	ssl = JsonbValueToJsonb(v);
	mode = tls_member(ssl, "mode", store);
	tls->ca = tls_member(ssl, "ca", store);
	tls->cert = tls_member(ssl, "cert", store);
	tls->key = tls_member(ssl, "key", store);
	if (mode != NULL)
	{
		int			i;

		for (i = 0; i < (int) lengthof(modes); i++)
			if (strcmp(mode, modes[i]) == 0)
				break;
		if (i == (int) lengthof(modes))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid ssl mode \"%s\" for datastore \"%s\"", mode, store->name),
					 errhint("Use disable, prefer, require, verify-ca or verify-full.")));
		tls->mode = (DsTlsMode) i;
	}
	/*
	 * A verify mode without a ca trusts the system's certificate store, so
	 * that a store that may name no server files can still check the
	 * server (src/pq_conn.c needs libpq 16 for it).
	 */
}
