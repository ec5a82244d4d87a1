/*
 * starrocks.h
 *		StarRocks stores: session variables, HTTP stream load, HTTP SQL API.
 *		(Queries over the MySQL protocol go through mysql_store.c.)
 */
#ifndef DS_STARROCKS_H
#define DS_STARROCKS_H

#include "utils/tuplestore.h"

#include "http.h"
#include "json_scan.h"
#include "placeholders.h"
#include "pool.h"
#include "row_source.h"
#include "stream_load.h"

/*
 * "SET name = value" for each of options->'session_variables', with string
 * values escaped by escape().  Names are checked to be plain identifiers.
 */
extern List *ds_sr_session_statements(const DsStore *store, DsEscapeFn escape,
									  void *arg);

extern Jsonb *ds_sr_stream_load(DsPool *pool, const char *target,
								DsRowSource *src, const DsLoadOptions *opts);
extern void ds_sr_http_query(DsPool *pool, const char *sql,
							 Tuplestorestate *ts, TupleDesc tsdesc);
extern char *ds_sr_load_state(DsPool *pool, const char *label);

/* ---- shared with starrocks_txn.c ---- */

extern char *ds_sr_fe_url(DsPool *pool, const char *path);
extern void ds_sr_set_auth_tls(DsPool *pool, DsHttpRequest *req);
extern char *ds_sr_url_escape(const char *s);
/* ERROR unless name can go into a URL path and a header (see starrocks.c). */
extern void ds_sr_check_name(DsPool *pool, const char *what, const char *name);
/* The start of a body from the network, as valid text for a message. */
extern char *ds_sr_excerpt(const char *s, int len);
/* Asks the FE where a body-carrying request goes; ERROR if it will not say. */
extern char *ds_sr_resolve_be(DsPool *pool, const char *url, List *headers);
/* Why a redirect from one URL to another is not followed; NULL if it is. */
extern const char *ds_sr_redirect_refused(const char *from, const char *to);
/* from redirected to to: to, if datastore follows there; else ERROR. */
extern char *ds_sr_check_redirect(DsPool *pool, const char *from, const char *to);
/*
 * Best effort: the first lines of a load's error log, or NULL; fetched only
 * from the server that answered the load, without credentials.
 */
extern char *ds_sr_error_log_excerpt(DsPool *pool, const char *served_by, const char *url);
/* An answer as jsonb with its members in *obj; NULL if it is no JSON object. */
extern Jsonb *ds_sr_answer_object(const char *body, int len, DsJsonItems *obj);

#endif							/* DS_STARROCKS_H */
