/*
 * sr_http.c
 *		What every StarRocks HTTP request shares: its URL on the FE, the
 *		store's credentials and TLS settings, names fit for a URL path, and
 *		how an answer from the network is read (as hostile bytes), judged
 *		and quoted in an error.  Redirects are followed only where the rows
 *		and credentials may go.
 */
#include "postgres.h"

#include <ctype.h>

#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "core/jsonb_row.h"
#include "core/load.h"
#include "core/settings.h"
#include "starrocks/sr_answer.h"
#include "starrocks/sr_http.h"

DsHttpClient *
ds_sr_client(DsPool *pool)
{
	if (pool->extra == NULL)
	{
		pool->extra = ds_http_client_create();
		pool->extra_free = ds_http_client_free;
	}
	return (DsHttpClient *) pool->extra;
}

/*
 * options->'ssl' for HTTP: require and the verify modes mean https
 * (require without checking the certificate, verify-ca without the host
 * name); disable and prefer mean http, which has no opportunistic TLS.
 */
static bool
use_https(const DsStore *store)
{
	DsTls		tls;

	ds_store_tls(store, &tls);
	return tls.mode >= DS_TLS_REQUIRE;
}

char *
ds_sr_store_url(const DsStore *store, const char *path)
{
	/* An IPv6 address goes in brackets, as a URL's host. */
	bool		v6 = strchr(store->host, ':') != NULL && store->host[0] != '[';

	return psprintf("%s://%s%s%s:%d%s", use_https(store) ? "https" : "http",
					v6 ? "[" : "", store->host, v6 ? "]" : "", store->http_port, path);
}

char *
ds_sr_fe_url(DsPool *pool, const char *path)
{
	return ds_sr_store_url(pool->store, path);
}

void
ds_sr_store_auth(const DsStore *store, DsHttpRequest *req)
{
	DsTls		tls;

	ds_store_tls(store, &tls);
	req->user = store->user;
	req->password = store->password;
	req->verify_peer = tls.mode >= DS_TLS_VERIFY_CA;
	req->verify_host = tls.mode == DS_TLS_VERIFY_FULL;
	req->ca = tls.ca;
	req->cert = tls.cert;
	req->key = tls.key;
}

void
ds_sr_set_auth_tls(DsPool *pool, DsHttpRequest *req)
{
	ds_sr_store_auth(pool->store, req);
}

/*
 * Asks the FE's HTTP port for /api/health, with a client of its own: a
 * wrong http_port (or a firewall in between) shows when the store is first
 * connected to, not at its first load.
 */
void
ds_sr_check_fe(const DsStore *store)
{
	DsHttpClient *client = ds_http_client_create();
	DsHttpRequest req = {0};
	DsHttpResponse resp;
	DsJsonItems obj;

	req.method = "GET";
	req.url = ds_sr_store_url(store, "/api/health");
	ds_sr_store_auth(store, &req);
	req.max_response_kb = 64;
	/* Whatever goes wrong is the one ERROR below. */
	req.quiet = true;
	req.timeout_ms = ds_connect_timeout * 1000;
	PG_TRY();
	{
		ds_http_perform(client, &req, &resp, store->name);
	}
	PG_FINALLY();
	{
		ds_http_client_free(client);
	}
	PG_END_TRY();
	if (resp.status != 200 || !ds_sr_parse_answer(resp.body.data, resp.body.len, &obj))
		ereport(ERROR,
				(errcode(ERRCODE_SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION),
				 errmsg("datastore \"%s\": the FE's HTTP port %d does not answer as a StarRocks FE",
						store->name, store->http_port),
				 resp.error
				 ? errdetail("GET %s failed: %s", req.url, resp.error)
				 : errdetail("GET %s answered HTTP %ld: %s", req.url, resp.status,
							 ds_sr_excerpt(resp.body.data, resp.body.len)),
				 errhint("http_port is the FE's http_port (8030 by default); loads and ds_http_query() go there.")));
}

/* Percent-encodes everything but unreserved characters. */
char *
ds_sr_url_escape(const char *s)
{
	StringInfoData buf;

	initStringInfo(&buf);
	for (const unsigned char *p = (const unsigned char *) s; *p; p++)
	{
		if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.' || *p == '~')
			appendStringInfoChar(&buf, *p);
		else
			appendStringInfo(&buf, "%%%02X", *p);
	}
	return buf.data;
}

char *
ds_sr_load_state_path(const char *db, const char *label)
{
	return psprintf("/api/%s/get_load_state?label=%s", ds_sr_url_escape(db), ds_sr_url_escape(label));
}

/*
 * A database, table or catalog name that goes into a URL path and into the
 * db/table headers of a transaction: no control characters (a header line
 * ends at a line break), and not "." or "..", which a server would take as
 * path steps even percent-encoded.
 */
void
ds_sr_check_name(DsPool *pool, const char *what, const char *name)
{
	if (name[0] == '\0' || strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
		ds_http_has_control(name))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_NAME),
				 errmsg("invalid %s name \"%s\" for datastore \"%s\"", what,
						ds_http_has_control(name) ? "(with a control character)" : name, pool->name),
				 errdetail("A StarRocks name is neither empty, \".\" nor \"..\", and holds no control characters.")));
}

void
ds_sr_split_target(DsPool *pool, const char *target, char **db, char **table)
{
	const char *dot = strchr(target, '.');

	if (dot)
	{
		*db = pnstrdup(target, dot - target);
		*table = pstrdup(dot + 1);
	}
	else
	{
		if (pool->store->database == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("target \"%s\" names no database and datastore \"%s\" has none",
							target, pool->name),
					 errhint("Write the target as db.table, or register the store with a database.")));
		*db = pstrdup(pool->store->database);
		*table = pstrdup(target);
	}
	ds_sr_check_name(pool, "database", *db);
	ds_sr_check_name(pool, "table", *table);
}

/* A member of the store's options as text (containers as JSON), or NULL. */
char *
ds_sr_option_text(Jsonb *jb, const char *key)
{
	JsonbValue *v = ds_jsonb_member(jb, key);

	if (v == NULL || v->type == jbvNull)
		return NULL;
	if (v->type == jbvBinary)
		return JsonbToCString(NULL, v->val.binary.data, v->val.binary.len);
	return ds_option_text(v);
}

Jsonb *
ds_sr_option(Jsonb *jb, const char *key)
{
	JsonbValue *v = ds_jsonb_member(jb, key);

	return v ? JsonbValueToJsonb(v) : NULL;
}

/*
 * A body from the network, as text in the server encoding.  False if it is
 * not valid UTF-8: such bytes never reach a jsonb value or an error message.
 */
bool
ds_sr_network_text(const char *data, int len, char **text, int *textlen)
{
	if (pg_encoding_verifymbstr(PG_UTF8, data, len) != len)
		return false;
	*text = pg_any_to_server(data, len, PG_UTF8);
	*textlen = *text == data ? len : (int) strlen(*text);
	return true;
}

/* Parses an answer as a JSON object; false if it is none. */
bool
ds_sr_parse_answer(const char *body, int len, DsJsonItems *obj)
{
	char	   *text;
	int			textlen;
	char	   *error;

	return len > 0 && ds_sr_network_text(body, len, &text, &textlen) &&
		ds_json_scan(text, textlen, GetDatabaseEncoding(), DS_JSON_OBJECT, obj, &error);
}

/* The start of a body, for an error's detail: its valid text only. */
static char *
excerpt_of(const char *s, int len, int max)
{
	int			valid = pg_encoding_verifymbstr(PG_UTF8, s, Min(len, max));

	if (GetDatabaseEncoding() != PG_UTF8 && GetDatabaseEncoding() != PG_SQL_ASCII)
	{
		/* Conversion could fail; ASCII cannot. */
		for (int i = 0; i < valid; i++)
			if (IS_HIGHBIT_SET(s[i]))
				valid = i;
	}
	return pnstrdup(s, valid);
}

char *
ds_sr_excerpt(const char *s, int len)
{
	return excerpt_of(s, len, 500);
}

/* The server's message in an answer that failed, or NULL. */
static char *
answer_message(DsHttpResponse *resp)
{
	DsJsonItems obj;

	return ds_sr_parse_answer(resp->body.data, resp->body.len, &obj) ? ds_sr_message(&obj) : NULL;
}

void
ds_sr_http_failed(DsPool *pool, const char *what, const char *url, DsHttpResponse *resp)
{
	char	   *msg = answer_message(resp);

	ereport(ERROR,
			(errcode(resp->status == 401 || resp->status == 403
					 ? ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION : ERRCODE_FDW_ERROR),
			 errmsg("%s on datastore \"%s\" failed with HTTP %ld%s%s",
					what, pool->name, resp->status, msg ? ": " : "", msg ? msg : ""),
			 errdetail("%s answered: %s", url, ds_sr_excerpt(resp->body.data, resp->body.len))));
}

/* The BE's address for this load, from the FE's 307. */
char *
ds_sr_resolve_be(DsPool *pool, const char *url, List *headers)
{
	DsHttpRequest req = {0};
	DsHttpResponse resp;
	char	   *msg;

	req.method = "PUT";
	req.url = url;
	ds_sr_set_auth_tls(pool, &req);
	req.headers = headers;
	req.body = "";
	req.body_len = 0;
	ds_http_perform(ds_sr_client(pool), &req, &resp, pool->name);
	if ((resp.status == 307 || resp.status == 302 || resp.status == 301) && resp.redirect_url)
		return ds_sr_check_redirect(pool, url, resp.redirect_url);
	if (resp.status != 200)
		ds_sr_http_failed(pool, "stream load", url, &resp);
	/* 200 from the FE is a failure shape: {"Status": "FAILED", ...}. */
	msg = answer_message(&resp);
	ereport(ERROR,
			(errcode(ERRCODE_FDW_ERROR),
			 errmsg("stream load on datastore \"%s\" was refused by the FE: %s",
					pool->name, msg ? msg : "no redirect to a BE"),
			 errdetail("%s answered: %s", url, ds_sr_excerpt(resp.body.data, resp.body.len))));
	pg_unreachable();
}

static bool
same_origin(const DsHttpUrl *a, const DsHttpUrl *b)
{
	return pg_strcasecmp(a->scheme, b->scheme) == 0 &&
		pg_strcasecmp(a->host, b->host) == 0 && strcmp(a->port, b->port) == 0;
}

/*
 * The FE answers a load with a 307 to a BE, and the protocol needs the
 * credentials and the rows to go there: but only for the very request
 * (the same path), never from https down to http, never to a URL that
 * names a user of its own.  NULL if to is such a place, else why not.
 */
const char *
ds_sr_redirect_refused(const char *from, const char *to)
{
	DsHttpUrl	f;
	DsHttpUrl	t;

	if (!ds_http_url_split(from, &f) || !ds_http_url_split(to, &t))
		return "it is not a URL";
	if (pg_strcasecmp(t.scheme, "http") != 0 && pg_strcasecmp(t.scheme, "https") != 0)
		return "it is not http or https";
	if (pg_strcasecmp(f.scheme, "https") == 0 && pg_strcasecmp(t.scheme, "https") != 0)
		return "it leaves https";
	if (t.userinfo)
		return "it names a user";
	{
		/*
		 * Nor any @ or backslash before the path, whatever libcurl's parser
		 * makes of them (an empty user name, a password only): be_host
		 * replaces the authority by hand.
		 */
		const char *auth = strstr(to, "://");
		size_t		n;

		auth = auth ? auth + 3 : to;
		n = strcspn(auth, "/?#");
		if (memchr(auth, '@', n) != NULL || memchr(auth, '\\', n) != NULL)
			return "it names a user";
	}
	if (strcmp(f.path, t.path) != 0)
		return "it is not the path that was asked for";
	return NULL;
}

char *
ds_sr_check_redirect(DsPool *pool, const char *from, const char *to)
{
	const char *why = ds_sr_redirect_refused(from, to);

	if (why != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("datastore \"%s\" redirected a request where datastore does not follow: %s",
						pool->name, why),
				 errdetail("%s redirected to %s", from, ds_sr_excerpt(to, strlen(to))),
				 errhint("Nothing was sent there: no credentials, no rows.")));
	{
		char	   *be_host = ds_sr_be_host(pool->store);

		return be_host ? ds_sr_via_be_host(to, be_host) : (char *) to;
	}
}

/* host, [v6 address] or either with :port; what a URL's authority may hold. */
static bool
valid_be_host(const char *s)
{
	const char *p = s;
	const char *colon;

	if (*p == '[')
	{
		p += 1 + strspn(p + 1, "0123456789abcdefABCDEF:.");
		if (*p != ']' || p == s + 1)
			return false;
		p++;
	}
	else
	{
		p += strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_");
		if (p == s)
			return false;
	}
	if (*p == '\0')
		return true;
	colon = p;
	if (*colon != ':' || colon[1] == '\0' || strspn(colon + 1, "0123456789") != strlen(colon + 1) ||
		strlen(colon + 1) > 5 || atoi(colon + 1) < 1 || atoi(colon + 1) > 65535)
		return false;
	return true;
}

char *
ds_sr_be_host(const DsStore *store)
{
	char	   *be_host = ds_sr_option_text(store->options, "be_host");

	if (be_host == NULL)
		return NULL;
	if (!valid_be_host(be_host))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("options->>'be_host' of datastore \"%s\" is not a host or host:port", store->name),
				 errdetail("It is \"%s\".", ds_sr_excerpt(be_host, strlen(be_host))),
				 errhint("Name the address the BEs' HTTP port is reached at from this server, such as \"be.example.com:8040\".")));
	return be_host;
}

char *
ds_sr_via_be_host(const char *url, const char *be_host)
{
	const char *auth = strstr(url, "://");
	const char *end;
	const char *port = NULL;
	StringInfoData out;

	/* A URL ds_sr_redirect_refused accepted: scheme://host[:port]/path... */
	Assert(auth != NULL);
	auth += 3;
	end = auth + strcspn(auth, "/?#");
	if (strchr(be_host, ':') == NULL || (be_host[0] == '[' && strstr(be_host, "]:") == NULL))
	{
		/* No port of its own: the one the FE named. */
		const char *p = (*auth == '[') ? strchr(auth, ']') : auth;

		if (p != NULL && p < end)
		{
			p = memchr(p, ':', end - p);
			if (p != NULL)
				port = p;
		}
	}
	initStringInfo(&out);
	appendBinaryStringInfo(&out, url, auth - url);
	appendStringInfoString(&out, be_host);
	if (port)
		appendBinaryStringInfo(&out, port, end - port);
	appendStringInfoString(&out, end);
	return out.data;
}

/*
 * The first lines of a load's error log, for the ERROR's detail: fetched
 * only from the server that answered the load (served_by), without the
 * store's credentials (the log needs none), and only a little of it.
 */
char *
ds_sr_error_log_excerpt(DsPool *pool, const char *served_by, const char *url)
{
	DsHttpRequest req = {0};
	DsHttpResponse resp;
	MemoryContext cxt = CurrentMemoryContext;
	char	   *result = NULL;
	DsHttpUrl	log;
	DsHttpUrl	server;
	DsTls		tls;

	if (!ds_http_url_split(url, &log) || !ds_http_url_split(served_by, &server) ||
		!same_origin(&log, &server) || log.userinfo)
		return psprintf("(not fetched: %s is not on the server that answered)",
						ds_sr_excerpt(url, strlen(url)));
	ds_store_tls(pool->store, &tls);
	req.method = "GET";
	req.url = url;
	req.verify_peer = tls.mode >= DS_TLS_VERIFY_CA;
	req.verify_host = tls.mode == DS_TLS_VERIFY_FULL;
	req.ca = tls.ca;
	req.max_response_kb = 64;
	/* Best effort: the load's own failure is the error to report. */
	PG_TRY();
	{
		ds_http_perform(ds_sr_client(pool), &req, &resp, pool->name);
		if (resp.status == 200)
		{
			int			lines = 0;
			int			i;

			for (i = 0; i < resp.body.len && lines < 5; i++)
				if (resp.body.data[i] == '\n')
					lines++;
			result = ds_sr_excerpt(resp.body.data, i);
		}
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(cxt);
		FlushErrorState();
	}
	PG_END_TRY();
	return result;
}

/* An answer ds_json_scan accepted: valid JSON in the server encoding. */
Jsonb *
ds_sr_answer_jsonb(const char *text, int len)
{
	return DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(pnstrdup(text, len))));
}

Jsonb *
ds_sr_answer_object(const char *body, int len, DsJsonItems *obj)
{
	char	   *text;
	int			textlen;
	char	   *error;

	if (len <= 0 || !ds_sr_network_text(body, len, &text, &textlen) ||
		!ds_json_scan(text, textlen, GetDatabaseEncoding(), DS_JSON_OBJECT, obj, &error))
		return NULL;
	return ds_sr_answer_jsonb(text, textlen);
}

/* The same, printed compactly for an error's detail. */
char *
ds_sr_answer_text(const char *text, int len)
{
	Jsonb	   *jb = ds_sr_answer_jsonb(text, len);

	return JsonbToCString(NULL, &jb->root, VARSIZE(jb));
}
