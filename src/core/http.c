/*
 * http.c
 *		HTTP through libcurl's multi interface, waiting in WaitLatchOrSocket.
 *
 * libcurl's callbacks run inside libcurl, so they only copy bytes between
 * libcurl and malloc'd buffers: no palloc, no ereport, nothing that could
 * longjmp through libcurl.  All PostgreSQL work (producing the body from an
 * SPI cursor, parsing the response) happens in the loop below, between calls
 * to curl_multi_perform().  When the send buffer is empty the read callback
 * pauses the transfer; the loop refills the buffer and resumes it.  So a body
 * of any size streams in bounded memory, and a cancel is served within one
 * wait: the loop checks for interrupts, and the progress callback aborts a
 * transfer that is busy inside libcurl.
 */
#include "postgres.h"

#include <sys/select.h>

#include "miscadmin.h"
#include "storage/latch.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/wait_event.h"

#include "core/wait.h"
#include "core/curl_api.h"
#include "core/settings.h"
#include "core/http.h"

#define SEND_LOW_WATER (256 * 1024)
#define SEND_HIGH_WATER (1024 * 1024)
#define SINK_HIGH_WATER (1024 * 1024)

struct DsHttpClient
{
	const DsCurlApi *api;
	CURL	   *easy;
	CURLM	   *multi;
	bool		attached;		/* a transfer is under way (or a FATAL left it) */
};

/* Every client of this backend, for ds_http_abandon_transfers(). */
static List *clients = NIL;

/* Buffers the callbacks touch: malloc'd, never palloc'd. */
typedef struct CbBuffer
{
	char	   *data;
	size_t		len;
	size_t		cap;
	size_t		pos;			/* send side: bytes already handed to curl */
	bool		eof;			/* send side: the body is complete */
	bool		paused;			/* send side: curl waits for more */
	bool		oom;
	size_t		limit;			/* receive side: most bytes held at once */
	bool		pausable;		/* receive side: a sink takes the bytes as they come */
	bool		over_limit;
} CbBuffer;

typedef struct Transfer
{
	CbBuffer	send;
	CbBuffer	recv;
	char		errbuf[CURL_ERROR_SIZE];
	const DsHttpRequest *req;
	/* finish_first: when an interrupt arrived, the transfer ends at stop_at */
	TimestampTz stop_at;
	bool		stopped;		/* ... and it did */
} Transfer;

DsHttpClient *
ds_http_client_create(void)
{
	const DsCurlApi *api = ds_curl_api();
	DsHttpClient *c = MemoryContextAllocZero(TopMemoryContext, sizeof(DsHttpClient));

	c->api = api;
	c->easy = api->curl_easy_init();
	c->multi = api->curl_multi_init();
	if (c->easy == NULL || c->multi == NULL)
	{
		if (c->easy)
			api->curl_easy_cleanup(c->easy);
		if (c->multi)
			api->curl_multi_cleanup(c->multi);
		pfree(c);
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY),
						errmsg("could not create a libcurl handle")));
	}
	{
		MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);

		clients = lappend(clients, c);
		MemoryContextSwitchTo(old);
	}
	return c;
}

void
ds_http_abandon_transfers(void)
{
	ListCell   *lc;

	foreach(lc, clients)
	{
		DsHttpClient *c = lfirst(lc);

		if (c->attached)
		{
			c->api->curl_multi_remove_handle(c->multi, c->easy);
			c->attached = false;
		}
	}
}

void
ds_http_client_free(void *client)
{
	DsHttpClient *c = (DsHttpClient *) client;

	clients = list_delete_ptr(clients, c);
	c->api->curl_multi_cleanup(c->multi);
	c->api->curl_easy_cleanup(c->easy);
	pfree(c);
}

static bool
buf_reserve(CbBuffer *b, size_t more)
{
	if (b->len + more <= b->cap)
		return true;
	{
		size_t		cap = Max(b->cap * 2, b->len + more + 4096);
		char	   *data = realloc(b->data, cap);

		if (data == NULL)
		{
			b->oom = true;
			return false;
		}
		b->data = data;
		b->cap = cap;
	}
	return true;
}

static size_t
write_cb(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	CbBuffer   *b = (CbBuffer *) userdata;
	size_t		n = size * nmemb;

	/*
	 * A streamed answer waits while the backend takes what came (curl hands
	 * the same bytes again once resumed); any other is held whole, up to
	 * the cap, since a server decides how much it sends.
	 */
	if (b->pausable && b->len >= SINK_HIGH_WATER)
	{
		b->paused = true;
		return CURL_WRITEFUNC_PAUSE;
	}
	if (!b->pausable && b->len + n > b->limit)
	{
		b->over_limit = true;
		return 0;
	}
	if (!buf_reserve(b, n))
		return 0;
	memcpy(b->data + b->len, ptr, n);
	b->len += n;
	return n;
}

static size_t
read_cb(char *buffer, size_t size, size_t nitems, void *userdata)
{
	CbBuffer   *b = (CbBuffer *) userdata;
	size_t		avail = b->len - b->pos;
	size_t		n = Min(avail, size * nitems);

	if (n == 0)
	{
		if (b->eof)
			return 0;
		b->paused = true;
		return CURL_READFUNC_PAUSE;
	}
	memcpy(buffer, b->data + b->pos, n);
	b->pos += n;
	return n;
}

static int
progress_cb(void *clientp, curl_off_t dltotal, curl_off_t dlnow,
			curl_off_t ultotal, curl_off_t ulnow)
{
	Transfer   *t = (Transfer *) clientp;
	const DsHttpRequest *req = t->req;

	/* Only reads flags; the loop raises the error once curl has returned. */
	if (req->finish_first)
		return t->stopped ? 1 : 0;
	return ((QueryCancelPending && !req->quiet) || ProcDiePending) ? 1 : 0;
}

/* Moves produced bytes into the send buffer (malloc'd, for the callback). */
static void
refill(const DsHttpRequest *req, Transfer *t, StringInfo scratch)
{
	CbBuffer   *b = &t->send;

	if (b->eof || b->len - b->pos >= SEND_LOW_WATER)
		return;
	/* Drop what curl has taken. */
	memmove(b->data, b->data + b->pos, b->len - b->pos);
	b->len -= b->pos;
	b->pos = 0;
	resetStringInfo(scratch);
	while (scratch->len < SEND_HIGH_WATER)
	{
		if (!req->produce(req->produce_arg, scratch))
		{
			b->eof = true;
			break;
		}
	}
	if (!buf_reserve(b, scratch->len))
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY),
						errmsg("out of memory for an HTTP request body")));
	memcpy(b->data + b->len, scratch->data, scratch->len);
	b->len += scratch->len;
}

static void
set_common_options(DsHttpClient *c, const DsHttpRequest *req, Transfer *t,
				   struct curl_slist *headers)
{
	const DsCurlApi *api = c->api;
	CURL	   *e = c->easy;

	/* reset keeps the live connections: keep-alive across calls. */
	api->curl_easy_reset(e);
	api->curl_easy_setopt(e, CURLOPT_URL, req->url);
	api->curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	api->curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	api->curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	api->curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	api->curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
	api->curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long) ds_connect_timeout * 1000L);
	api->curl_easy_setopt(e, CURLOPT_TIMEOUT_MS,
						  req->timeout_ms > 0 ? (long) req->timeout_ms : (long) ds_http_timeout * 1000L);
	api->curl_easy_setopt(e, CURLOPT_EXPECT_100_TIMEOUT_MS, (long) ds_connect_timeout * 1000L);
	if (req->user)
	{
		api->curl_easy_setopt(e, CURLOPT_HTTPAUTH, (long) CURLAUTH_BASIC);
		api->curl_easy_setopt(e, CURLOPT_USERNAME, req->user);
		api->curl_easy_setopt(e, CURLOPT_PASSWORD, req->password ? req->password : "");
	}
	api->curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, req->verify_peer ? 1L : 0L);
	api->curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, req->verify_host ? 2L : 0L);
	if (req->ca)
		api->curl_easy_setopt(e, CURLOPT_CAINFO, req->ca);
	if (req->cert)
		api->curl_easy_setopt(e, CURLOPT_SSLCERT, req->cert);
	if (req->key)
		api->curl_easy_setopt(e, CURLOPT_SSLKEY, req->key);
	api->curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
	api->curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
	api->curl_easy_setopt(e, CURLOPT_WRITEDATA, &t->recv);
	api->curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
	api->curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, progress_cb);
	api->curl_easy_setopt(e, CURLOPT_XFERINFODATA, (void *) t);

	if (strcmp(req->method, "GET") == 0)
		api->curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
	else if (strcmp(req->method, "POST") == 0 && req->produce == NULL)
	{
		api->curl_easy_setopt(e, CURLOPT_POSTFIELDS, req->body ? req->body : "");
		api->curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) req->body_len);
	}
	else
	{
		api->curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
		if (strcmp(req->method, "PUT") != 0)
			api->curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, req->method);
		api->curl_easy_setopt(e, CURLOPT_READFUNCTION, read_cb);
		api->curl_easy_setopt(e, CURLOPT_READDATA, &t->send);
		if (req->produce == NULL)
			api->curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE, (curl_off_t) req->body_len);
	}
}

/*
 * Waits for curl's socket or timeout, serving interrupts (unless they are
 * held), until deadline at the latest (0: none).
 */
static void
wait_for_curl(DsHttpClient *c, TimestampTz deadline)
{
	const DsCurlApi *api = c->api;
	fd_set		rd;
	fd_set		wr;
	fd_set		ex;
	int			maxfd = -1;
	long		timeout = -1;
	int			want = 0;
	pgsocket	sock = PGINVALID_SOCKET;

	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_ZERO(&ex);
	api->curl_multi_fdset(c->multi, &rd, &wr, &ex, &maxfd);
	api->curl_multi_timeout(c->multi, &timeout);
	if (maxfd >= 0)
	{
		/* One transfer: at most one socket of interest. */
		for (int fd = 0; fd <= maxfd; fd++)
		{
			if (FD_ISSET(fd, &rd) || FD_ISSET(fd, &ex))
				want |= DS_WAIT_READABLE;
			if (FD_ISSET(fd, &wr))
				want |= DS_WAIT_WRITEABLE;
			if (FD_ISSET(fd, &rd) || FD_ISSET(fd, &wr) || FD_ISSET(fd, &ex))
			{
				sock = fd;
				break;
			}
		}
	}
	else if (timeout < 0 || timeout > 50)
		timeout = 50;			/* e.g. resolving: poll curl soon */
	(void) ds_wait_socket(sock, want, timeout, deadline, true, DS_WAIT_EVENT_HTTP);
}

/*
 * When the backend must stop: datastore.cancel_timeout after a cancel or
 * terminate was first seen pending, for every finish_first request from
 * then on (a commit's hops and the look at its label share it); 0 while
 * none is pending.
 */
static TimestampTz stop_deadline = 0;

/* finish_first: true once the pending interrupt's deadline has passed. */
static bool
past_stop(Transfer *t)
{
	if (!t->req->finish_first || !(QueryCancelPending || ProcDiePending))
		return false;
	if (stop_deadline == 0)
		stop_deadline = TimestampTzPlusMilliseconds(GetCurrentTimestamp(),
													ds_cancel_timeout * 1000);
	t->stop_at = stop_deadline;
	if (GetCurrentTimestamp() >= stop_deadline)
		t->stopped = true;
	return t->stopped;
}

static void
transfer_loop(DsHttpClient *c, const DsHttpRequest *req, Transfer *t,
			  DsHttpResponse *resp, const char *storename)
{
	const DsCurlApi *api = c->api;
	StringInfoData scratch;
	CURLcode	result = CURLE_OK;
	int			running = 1;

	initStringInfo(&scratch);
	while (running)
	{
		CURLMcode	mc;

		if (req->produce)
		{
			refill(req, t, &scratch);
			if (t->send.paused && (t->send.pos < t->send.len || t->send.eof))
			{
				t->send.paused = false;
				api->curl_easy_pause(c->easy, CURLPAUSE_CONT);
			}
		}
		mc = api->curl_multi_perform(c->multi, &running);
		if (mc != CURLM_OK && req->quiet)
		{
			resp->error = psprintf("curl multi error %d", (int) mc);
			return;
		}
		if (mc != CURLM_OK)
			ereport(ERROR,
					(errcode(ERRCODE_CONNECTION_FAILURE),
					 errmsg("HTTP request to datastore \"%s\" failed: curl multi error %d",
							storename, (int) mc)));
		if (t->recv.oom)
			ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY),
							errmsg("out of memory for an HTTP response")));
		if (t->recv.over_limit)
		{
			if (req->quiet)
			{
				resp->error = psprintf("the answer exceeds %zu kB", t->recv.limit / 1024);
				return;
			}
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("HTTP answer of datastore \"%s\" exceeds %zu kB", storename,
							t->recv.limit / 1024),
					 errdetail("%s %s", req->method, req->url),
					 errhint("datastore.http_max_response_size bounds what a server may send.")));
		}
		if (req->sink && t->recv.len > 0)
		{
			size_t		n = t->recv.len;

			t->recv.len = 0;
			req->sink(req->sink_arg, t->recv.data, n);
		}
		if (t->recv.paused)
		{
			t->recv.paused = false;
			api->curl_easy_pause(c->easy, CURLPAUSE_CONT);
			continue;
		}
		if (!running)
			break;
		if (past_stop(t))
			break;
		/* A paused upload with data ready must not sleep. */
		if (!(req->produce && t->send.paused && !t->send.eof))
			wait_for_curl(c, t->stop_at);
		else
			CHECK_FOR_INTERRUPTS();
	}
	if (t->stopped)
	{
		const char *why = "the backend was told to stop and datastore.cancel_timeout passed before an answer";

		if (req->quiet)
		{
			resp->error = pstrdup(why);
			return;
		}
		ereport(ERROR,
				(errcode(ERRCODE_QUERY_CANCELED),
				 errmsg("HTTP request to datastore \"%s\" stopped without an answer", storename),
				 errdetail("%s %s: %s.", req->method, req->url, why)));
	}

	{
		CURLMsg    *msg;
		int			left;

		while ((msg = api->curl_multi_info_read(c->multi, &left)) != NULL)
			if (msg->msg == CURLMSG_DONE)
				result = msg->data.result;
	}
	if (result == CURLE_ABORTED_BY_CALLBACK)
		CHECK_FOR_INTERRUPTS();
	if (result != CURLE_OK && req->quiet)
	{
		resp->error = pstrdup(t->errbuf[0] ? t->errbuf : api->curl_easy_strerror(result));
		return;
	}
	if (result != CURLE_OK)
		ereport(ERROR,
				(errcode(result == CURLE_COULDNT_CONNECT || result == CURLE_COULDNT_RESOLVE_HOST ||
						 result == CURLE_OPERATION_TIMEDOUT
						 ? ERRCODE_SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION
						 : ERRCODE_CONNECTION_FAILURE),
				 errmsg("HTTP request to datastore \"%s\" failed: %s",
						storename, t->errbuf[0] ? t->errbuf : api->curl_easy_strerror(result)),
				 errdetail("%s %s", req->method, req->url)));

	{
		long		status = 0;
		char	   *redirect = NULL;
		char	   *ctype = NULL;
		curl_off_t	up = 0;

		char	   *effective = NULL;

		api->curl_easy_getinfo(c->easy, CURLINFO_EFFECTIVE_URL, &effective);
		resp->url = pstrdup(effective ? effective : req->url);
		api->curl_easy_getinfo(c->easy, CURLINFO_RESPONSE_CODE, &status);
		api->curl_easy_getinfo(c->easy, CURLINFO_REDIRECT_URL, &redirect);
		api->curl_easy_getinfo(c->easy, CURLINFO_CONTENT_TYPE, &ctype);
		api->curl_easy_getinfo(c->easy, CURLINFO_SIZE_UPLOAD_T, &up);
		resp->status = status;
		resp->redirect_url = redirect ? pstrdup(redirect) : NULL;
		resp->content_type = ctype ? pstrdup(ctype) : NULL;
		resp->sent_bytes = (int64) up;
	}
	if (!req->sink && t->recv.len > 0)
		appendBinaryStringInfo(&resp->body, t->recv.data, t->recv.len);
}

bool
ds_http_has_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *) s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return true;
	return false;
}

/*
 * Whatever a caller assembled from options and targets: the URL has no
 * control character or space, each header is one "Name: value" line whose
 * name is an HTTP token.  An ERROR here is a bug or an injection, never a
 * request.
 */
static void
check_request(const DsHttpRequest *req, const char *storename)
{
	ListCell   *lc;

	if (ds_http_has_control(req->url) || strchr(req->url, ' ') != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("refusing an HTTP request to datastore \"%s\": its URL holds a control character or a space",
						storename)));
	foreach(lc, req->headers)
	{
		const char *h = lfirst(lc);
		size_t		name = strspn(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~");

		if (name == 0 || h[name] != ':' || ds_http_has_control(h + name + 1))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("refusing an HTTP request to datastore \"%s\": a header is not one line of \"name: value\"",
							storename),
					 errdetail("Header names are HTTP tokens; values hold no control characters.")));
	}
}

bool
ds_http_url_split(const char *url, DsHttpUrl *out)
{
	const DsCurlApi *api = ds_curl_api();
	CURLU	   *u = api->curl_url();
	bool		ok = false;

	memset(out, 0, sizeof(*out));
	if (u == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	if (api->curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK)
	{
		char	   *part;
		const CURLUPart parts[] = {CURLUPART_SCHEME, CURLUPART_HOST, CURLUPART_PORT, CURLUPART_PATH};
		char	  **fields[] = {&out->scheme, &out->host, &out->port, &out->path};

		ok = true;
		for (int i = 0; i < (int) lengthof(parts); i++)
		{
			part = NULL;
			if (api->curl_url_get(u, parts[i], &part, parts[i] == CURLUPART_PORT ? CURLU_DEFAULT_PORT : 0) != CURLUE_OK ||
				part == NULL)
			{
				ok = false;
				break;
			}
			*fields[i] = pstrdup(part);
			api->curl_free(part);
		}
		part = NULL;
		out->userinfo = api->curl_url_get(u, CURLUPART_USER, &part, 0) == CURLUE_OK;
		if (part)
			api->curl_free(part);
	}
	api->curl_url_cleanup(u);
	return ok;
}

void
ds_http_perform(DsHttpClient *c, const DsHttpRequest *req, DsHttpResponse *resp,
				const char *storename)
{
	const DsCurlApi *api = c->api;
	struct curl_slist *headers = NULL;
	Transfer   *t;
	ListCell   *lc;
	CURLMcode	mc;

	/* Nothing the extension did not mean goes on the wire. */
	check_request(req, storename);
	if (!(QueryCancelPending || ProcDiePending))
		stop_deadline = 0;
	t = calloc(1, sizeof(Transfer));
	if (t == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	t->req = req;
	t->recv.limit = (size_t) (req->max_response_kb > 0 ? req->max_response_kb
							  : ds_http_max_response_kb) * 1024;
	t->recv.pausable = (req->sink != NULL);
	memset(resp, 0, sizeof(*resp));
	initStringInfo(&resp->body);
	if (req->body && req->produce == NULL)
	{
		/* A fixed body is read by curl from our buffer, untouched. */
		t->send.data = (char *) req->body;
		t->send.len = req->body_len;
		t->send.eof = true;
	}

	/* curl and its lists are outside palloc: release them on any ERROR. */
	PG_TRY();
	{
		foreach(lc, req->headers)
		{
			struct curl_slist *h = api->curl_slist_append(headers, lfirst(lc));

			if (h == NULL)
				ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
			headers = h;
		}
		/*
		 * A FATAL exit runs no PG_FINALLY: a transfer it interrupted is still
		 * attached when the exit-time cleanup uses this client.  Removing it
		 * drops its connection; libcurl accepts removing a handle it does
		 * not hold.
		 */
		api->curl_multi_remove_handle(c->multi, c->easy);
		set_common_options(c, req, t, headers);
		mc = api->curl_multi_add_handle(c->multi, c->easy);
		c->attached = (mc == CURLM_OK);
		if (mc != CURLM_OK && req->quiet)
			resp->error = psprintf("curl multi error %d", (int) mc);
		else if (mc != CURLM_OK)
			ereport(ERROR,
					(errcode(ERRCODE_CONNECTION_FAILURE),
					 errmsg("HTTP request to datastore \"%s\" failed: curl multi error %d",
							storename, (int) mc)));
		else
			transfer_loop(c, req, t, resp, storename);
	}
	PG_FINALLY();
	{
		/* Removing an unfinished transfer aborts it and drops its connection. */
		api->curl_multi_remove_handle(c->multi, c->easy);
		c->attached = false;
		api->curl_easy_setopt(c->easy, CURLOPT_HTTPHEADER, NULL);
		api->curl_slist_free_all(headers);
		if (req->body == NULL || req->produce != NULL)
			free(t->send.data);
		free(t->recv.data);
		free(t);
	}
	PG_END_TRY();
}
