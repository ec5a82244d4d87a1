/*
 * sr_http.h
 *		The HTTP side of a StarRocks store, shared by its stream loads, its
 *		transactions and its SQL API (sr_http.c).
 */
#ifndef DS_SR_HTTP_H
#define DS_SR_HTTP_H

#include "core/compat.h"
#include "utils/jsonb.h"

#include "core/http.h"
#include "core/json_scan.h"
#include "core/pool.h"

/* The pool's HTTP client, created on first use and freed with the pool. */
extern DsHttpClient *ds_sr_client(DsPool *pool);

extern char *ds_sr_fe_url(DsPool *pool, const char *path);
extern void ds_sr_set_auth_tls(DsPool *pool, DsHttpRequest *req);
extern char *ds_sr_store_url(const DsStore *store, const char *path);
extern void ds_sr_store_auth(const DsStore *store, DsHttpRequest *req);

/* ERROR unless the store's http_port answers as a StarRocks FE. */
extern void ds_sr_check_fe(const DsStore *store);
extern char *ds_sr_url_escape(const char *s);

/* The FE path that tells a load label's state in database db. */
extern char *ds_sr_load_state_path(const char *db, const char *label);

/* ERROR unless name can go into a URL path and a header. */
extern void ds_sr_check_name(DsPool *pool, const char *what, const char *name);

/* A load's target, db.table or table in the store's database, checked. */
extern void ds_sr_split_target(DsPool *pool, const char *target, char **db, char **table);

/* A member of the store's options, as jsonb or as text; NULL if absent. */
extern Jsonb *ds_sr_option(Jsonb *options, const char *key);
extern char *ds_sr_option_text(Jsonb *options, const char *key);

/*
 * Bytes from the network as text in the server encoding; false if they are
 * not valid UTF-8, which never reaches a jsonb value or a message.
 */
extern bool ds_sr_network_text(const char *data, int len, char **text, int *textlen);

/* An answer parsed as a JSON object into *obj; false if it is none. */
extern bool ds_sr_parse_answer(const char *body, int len, DsJsonItems *obj);

/* An answer as jsonb with its members in *obj; NULL if it is no JSON object. */
extern Jsonb *ds_sr_answer_object(const char *body, int len, DsJsonItems *obj);

/* Text ds_json_scan accepted, as jsonb, and printed compactly for a detail. */
extern Jsonb *ds_sr_answer_jsonb(const char *text, int len);
extern char *ds_sr_answer_text(const char *text, int len);

/* The start of a body from the network, as valid text for a message. */
extern char *ds_sr_excerpt(const char *s, int len);

/* The ERROR for an answer that is not 200, with the server's message. */
pg_noreturn extern void ds_sr_http_failed(DsPool *pool, const char *what, const char *url,
										  DsHttpResponse *resp);

/* Asks the FE where a body-carrying request goes; ERROR if it will not say. */
extern char *ds_sr_resolve_be(DsPool *pool, const char *url, List *headers);

/* Why a redirect from one URL to another is not followed; NULL if it is. */
extern const char *ds_sr_redirect_refused(const char *from, const char *to);

/*
 * from redirected to to: where datastore sends the request (to, or to by
 * way of the store's be_host); ERROR if it does not follow there.
 */
extern char *ds_sr_check_redirect(DsPool *pool, const char *from, const char *to);

/*
 * The store's options->>'be_host', "host" or "host:port", checked; NULL if
 * it has none.  Requests the FE redirects to a BE go there instead of the
 * host the FE names: BEs in Kubernetes or Docker networks advertise
 * addresses a client outside cannot reach.
 */
extern char *ds_sr_be_host(const DsStore *store);

/* url with its host (and its port, if be_host names one) from be_host. */
extern char *ds_sr_via_be_host(const char *url, const char *be_host);

/*
 * Best effort: the first lines of a load's error log, or NULL; fetched only
 * from the server that answered the load, without credentials.
 */
extern char *ds_sr_error_log_excerpt(DsPool *pool, const char *served_by, const char *url);

#endif							/* DS_SR_HTTP_H */
