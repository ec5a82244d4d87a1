/*
 * http.h
 *		HTTP requests through libcurl with interruptible waits.
 */
#ifndef DS_HTTP_H
#define DS_HTTP_H

#include "lib/stringinfo.h"
#include "nodes/pg_list.h"

/* One per store per backend: its connections are kept alive between calls. */
typedef struct DsHttpClient DsHttpClient;

extern DsHttpClient *ds_http_client_create(void);
extern void ds_http_client_free(void *client);

/*
 * Drops every transfer a FATAL exit left under way (it runs no cleanup), so
 * that the servers see those requests end: for the exit-time cleanup, which
 * must not wait behind a load this backend walked away from.
 */
extern void ds_http_abandon_transfers(void);

/*
 * A streamed request body: produce() runs in the backend (never inside
 * libcurl) whenever the send buffer runs low, appends to buf, and returns
 * false once there is nothing more.  The body goes chunked.
 */
typedef bool (*DsHttpProduce) (void *arg, StringInfo buf);

/* Response bytes as they arrive, in the backend (PostgreSQL code allowed). */
typedef void (*DsHttpSink) (void *arg, const char *data, size_t len);

typedef struct DsHttpRequest
{
	const char *method;			/* GET, PUT or POST */
	const char *url;
	const char *user;			/* Basic auth */
	const char *password;
	List	   *headers;		/* "Name: value" strings */
	const char *body;			/* a fixed body, or NULL */
	size_t		body_len;
	DsHttpProduce produce;		/* or a streamed one */
	void	   *produce_arg;
	DsHttpSink	sink;			/* NULL: collect the body into the response */
	void	   *sink_arg;
	/* https: what to check of the server, and a client certificate */
	bool		verify_peer;
	bool		verify_host;
	const char *ca;
	const char *cert;
	const char *key;
	int			timeout_ms;		/* 0: datastore.http_timeout */
	int			max_response_kb;	/* 0: datastore.http_max_response_size */
	/*
	 * For cleanup during abort or exit, where an ERROR is not wanted (and
	 * becomes FATAL while the backend exits): transport failures come back
	 * as status 0 with resp->error, and a query cancel does not cut the
	 * request short (the caller bounds it with timeout_ms).
	 */
	bool		quiet;

	/*
	 * For a request whose outcome must be known (a commit): a query cancel
	 * or terminate does not cut it short but waits for the answer, for at
	 * most datastore.cancel_timeout after it arrived.  The caller holds
	 * interrupts, so that nothing serves them until it has the answer.
	 */
	bool		finish_first;
} DsHttpRequest;

typedef struct DsHttpResponse
{
	long		status;
	char	   *url;			/* the URL that answered */
	char	   *redirect_url;	/* Location of a 3xx, else NULL */
	char	   *content_type;
	StringInfoData body;
	int64		sent_bytes;
	char	   *error;			/* quiet requests: why there is no answer */
} DsHttpResponse;

/*
 * Performs the request.  Transport failures (refused, reset, timeout) are an
 * ERROR naming the store; any HTTP status comes back in resp->status.  A URL
 * or header with a control character is refused before anything is sent;
 * an answer beyond max_response_kb (held at once: a streamed answer's sink
 * takes it piece by piece) is an ERROR.
 */
extern void ds_http_perform(DsHttpClient *client, const DsHttpRequest *req,
							DsHttpResponse *resp, const char *storename);

/* Does s hold a byte below 0x20 or 0x7f, which no header line or URL may? */
extern bool ds_http_has_control(const char *s);

/* The parts of a URL that decide where a request goes (palloc'd). */
typedef struct DsHttpUrl
{
	char	   *scheme;
	char	   *host;
	char	   *port;			/* the scheme's default when not given */
	char	   *path;
	bool		userinfo;		/* it names a user: never ours to follow */
} DsHttpUrl;

/* false if url is not an absolute URL libcurl can parse. */
extern bool ds_http_url_split(const char *url, DsHttpUrl *out);

#endif							/* DS_HTTP_H */
