/*
 * catalog.h
 *		The datastore.stores catalog as seen from C.
 */
#ifndef DS_CATALOG_H
#define DS_CATALOG_H

#include "core/compat.h"
#include "nodes/pg_list.h"
#include "utils/jsonb.h"

typedef struct DsStore
{
	char	   *name;
	char	   *type;			/* postgres, mysql, starrocks: its kind decides (registry) */
	char	   *host;			/* NULL for the local store */
	int			port;			/* 0 when not set */
	char	   *user;
	char	   *password;
	char	   *database;
	int			max_connections;
	int			min_connections;
	int			http_port;		/* 0 when not set */
	Jsonb	   *options;
	int64		generation;
	Oid			owner;
} DsStore;

/* Looks a store up by name; ERROR (or NULL if missing_ok) when absent. */
extern DsStore *ds_catalog_lookup(const char *name, bool missing_ok);

/* The ERROR for a store that does not exist (or that the caller may not see). */
pg_noreturn extern void ds_catalog_report_missing(const char *name);

/*
 * ERROR 42501 unless the current user may use the store: superuser, the
 * owner (or a member of it), or a grantee (or PUBLIC).  Checked before any
 * connection is made.
 */
extern void ds_catalog_check_usage(const DsStore *store);

/* The same test, without the ERROR. */
extern bool ds_catalog_may_use(const DsStore *store);

/* Does the store's owner (the role that last registered it) have superuser? */
extern bool ds_store_owner_is_superuser(const DsStore *store);

/*
 * ERROR 42501 if the store asks for what only a superuser's store may do,
 * because the server itself would act for its users: name a password_file
 * or TLS files (the server reads them), connect without a password (trust,
 * ~/.pgpass).  The guard trigger on datastore.stores refuses such rows too;
 * this holds however the row got there or whatever became of its owner
 * since.  Kinds add what is theirs (their check_store: a Unix socket host;
 * their drivers: TCP and password authentication only, the server must
 * have asked), checked between the two, in the trigger's order.
 */
extern void ds_store_check_owner_files(const DsStore *store);
extern void ds_store_check_owner_password(const DsStore *store);

/* The same ERROR, for a kind's own rule (why: "connect through a Unix socket"). */
pg_noreturn extern void ds_store_refuse_owner_rights(const DsStore *store, const char *why);

/*
 * The password to connect with: the stored one, or the first line of the
 * file named by options->>'password_file' (a superuser's store only; the
 * path and why it failed show to superusers only).  NULL if neither.
 */
extern char *ds_store_password(const DsStore *store);

/* options->'ssl', checked. */
typedef enum DsTlsMode
{
	DS_TLS_DISABLE,
	DS_TLS_PREFER,				/* the default */
	DS_TLS_REQUIRE,
	DS_TLS_VERIFY_CA,
	DS_TLS_VERIFY_FULL
} DsTlsMode;

typedef struct DsTls
{
	DsTlsMode	mode;
	char	   *ca;
	char	   *cert;
	char	   *key;
} DsTls;

/* ERRORs on a malformed options->'ssl'.  A verify mode without a ca means the system's trusted roots. */
extern void ds_store_tls(const DsStore *store, DsTls *tls);

/* Names of every registered store, in name order. */
extern List *ds_catalog_store_names(void);

extern DsStore *ds_store_copy(const DsStore *store, MemoryContext cxt);

#endif							/* DS_CATALOG_H */
