/*
 * sr_txn.c
 *		Transaction stream loads (options {"transaction": true}) whose
 *		outcome follows the local transaction.
 *
 * ds_stream_load*() begins a remote transaction, sends the rows with one or
 * more /api/transaction/load calls and prepares it: the data is then durable
 * on the server but invisible.  The transaction is remembered here with the
 * local (sub)transaction level it belongs to, and
 *  - committed at XACT_EVENT_PRE_COMMIT, after all local work succeeded.  A
 *    failed commit is an ERROR, which aborts the local transaction.  A
 *    cancel or terminate that arrives meanwhile waits for the commit's
 *    answer (datastore.cancel_timeout at most), and an answer that is not a
 *    plain yes or no is checked against the label's state, so that what
 *    the session reports of the remote rows is what the server did;
 *  - rolled back when the local transaction or the subtransaction it was
 *    loaded in aborts, and when the backend exits (pg_terminate_backend,
 *    a lost client);
 *  - left to the server's timeouts when the backend cannot say anything (it
 *    was killed, or the rollback failed): begin sends timeout and
 *    prepared_timeout, 600 s each unless the options say otherwise.
 *
 * Several such loads in one local transaction are committed one after the
 * other at pre-commit.  StarRocks has no two-phase commit across its
 * transactions: if a later commit fails, the earlier ones stay committed
 * while the local transaction and the remaining ones roll back.  The same
 * holds for the moment between the remote commit and the local commit
 * record: a crash there leaves the rows loaded and the local work undone.
 * A deterministic label makes the retry harmless: begin answers
 * LABEL_ALREADY_EXISTS / FINISHED, reported as already loaded.
 *
 * Commit and rollback talk to the server with credentials copied at begin
 * and an HTTP client of their own, so neither a closed pool nor a
 * re-registered store gets in their way.  Rollbacks run where an ERROR must
 * not escape (abort, proc_exit): their requests are quiet (no ERROR for
 * transport failures), ignore query cancel and are bounded by
 * datastore.cancel_timeout; what goes wrong is a WARNING.
 */
#include "postgres.h"

#include "core/compat.h"
#include "access/xact.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "storage/ipc.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "core/settings.h"
#include "core/wait.h"
#include "starrocks/sr_answer.h"
#include "starrocks/sr_http.h"
#include "starrocks/sr_load.h"
#include "starrocks/sr_txn.h"

struct DsSrTxn
{
	char	   *store;
	char	   *fe_base;		/* scheme://host:port of the FE */
	char	   *be_host;		/* the store's be_host, or NULL */
	DsHttpRequest auth;			/* credentials and TLS only */
	char	   *db;
	char	   *table;
	char	   *label;
	char	   *ratio_header;	/* "max_filter_ratio: r" for prepare, or NULL */
	int64		txn_id;
	int			level;			/* local transaction nesting level */
	bool		prepared;
};

/* Open remote transactions, oldest first, and what they live in. */
static List *pending = NIL;
/* Committed at this pre-commit: the local commit may still fail after it. */
static List *committed = NIL;
static MemoryContext txn_cxt = NULL;
static DsHttpClient *txn_client = NULL;
static bool hooks_registered = false;

static void xact_callback(XactEvent event, void *arg);
static char *step_outcome(DsHttpResponse *resp, DsJsonItems *obj, bool parsed);
static void subxact_callback(SubXactEvent event, SubTransactionId mySubid,
							 SubTransactionId parentSubid, void *arg);
static void exit_callback(int code, Datum arg);

static char *
copy_or_null(const char *s)
{
	return s ? MemoryContextStrdup(txn_cxt, s) : NULL;
}

List *
ds_sr_txn_headers(DsSrTxn *txn, List *headers)
{
	headers = lappend(headers, psprintf("label: %s", txn->label));
	headers = lappend(headers, psprintf("db: %s", txn->db));
	headers = lappend(headers, psprintf("table: %s", txn->table));
	return headers;
}

/*
 * How a step talks to the server.  Every step but a load (which streams
 * the rows, and stops at once when told to) is finished even if the
 * backend is told to stop meanwhile, for at most datastore.cancel_timeout
 * after that, with interrupts held by the caller: so that what the server
 * did is known here, and a terminate during begin or prepare leaves a
 * transaction the exit rolls back rather than one nobody knows of.
 */
typedef enum TxnMode
{
	TXN_STEP,					/* prepare: a transport failure is an ERROR */
	TXN_BEGIN,					/* quiet: with no answer, the label is rolled back */
	TXN_COMMIT,					/* quiet: the caller judges what came back */
	TXN_CLEANUP					/* quiet, and bounded by datastore.cancel_timeout */
} TxnMode;

/*
 * A bodiless request for one step of the transaction: to the FE, then to
 * the BE it redirects to (the one that began the transaction).  false if
 * the step never reached a BE (quiet modes: a redirect datastore does not
 * follow); the FE does nothing with a step it redirects.
 */
static bool
txn_request(DsSrTxn *txn, const char *op, List *extra, TxnMode mode, DsHttpResponse *resp)
{
	DsHttpRequest req = txn->auth;
	bool		quiet = (mode != TXN_STEP);

	req.method = "POST";
	req.url = psprintf("%s/api/transaction/%s", txn->fe_base, op);
	req.headers = ds_sr_txn_headers(txn, list_copy(extra));
	req.body = "";
	req.body_len = 0;
	req.quiet = quiet;
	req.finish_first = true;
	if (mode == TXN_CLEANUP)
		req.timeout_ms = ds_cancel_timeout * 1000;
	ds_http_perform(txn_client, &req, resp, txn->store);
	if ((resp->status == 307 || resp->status == 302 || resp->status == 301) &&
		resp->redirect_url)
	{
		/* The BE that began the transaction: the same checks as for loads. */
		const char *why = ds_sr_redirect_refused(req.url, resp->redirect_url);

		if (why != NULL)
		{
			if (quiet)
			{
				resp->status = 0;
				resp->error = psprintf("a redirect datastore does not follow (%s)", why);
				return false;
			}
			ereport(ERROR,
					(errcode(ERRCODE_FDW_ERROR),
					 errmsg("datastore \"%s\" redirected transaction %s of load \"%s\" where datastore does not follow: %s",
							txn->store, op, txn->label, why),
					 errdetail("%s redirected to %s", req.url,
							   ds_sr_excerpt(resp->redirect_url, strlen(resp->redirect_url))),
					 errhint("Nothing was sent there: no credentials, no rows.")));
		}
		req.url = txn->be_host ? ds_sr_via_be_host(resp->redirect_url, txn->be_host)
			: resp->redirect_url;
		ds_http_perform(txn_client, &req, resp, txn->store);
	}
	return true;
}

/* The answer of a step as an object, or an ERROR naming the step. */
static Jsonb *
txn_answer(DsSrTxn *txn, const char *op, DsHttpResponse *resp, DsJsonItems *obj)
{
	Jsonb	   *jb = resp->status == 200
		? ds_sr_answer_object(resp->body.data, resp->body.len, obj) : NULL;

	if (jb == NULL)
	{
		char	   *msg = NULL;
		DsJsonItems other;

		if (ds_sr_answer_object(resp->body.data, resp->body.len, &other))
			msg = ds_sr_message(&other);
		ereport(ERROR,
				(errcode(resp->status == 401 || resp->status == 403
						 ? ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION : ERRCODE_FDW_ERROR),
				 errmsg("transaction %s of load \"%s\" on datastore \"%s\" failed with HTTP %ld%s%s",
						op, txn->label, txn->store, resp->status, msg ? ": " : "", msg ? msg : ""),
				 errdetail("The server answered: %s", ds_sr_excerpt(resp->body.data, resp->body.len))));
	}
	return jb;
}

pg_noreturn static void
txn_failed(DsSrTxn *txn, const char *op, DsJsonItems *obj, const char *log)
{
	char	   *status = ds_sr_member_text(obj, "Status");
	char	   *msg = ds_sr_message(obj);
	char	   *error_url = ds_sr_member_text(obj, "ErrorURL");

	ereport(ERROR,
			(errcode(ERRCODE_FDW_ERROR),
			 errmsg("transaction %s of load \"%s\" on datastore \"%s\" failed: %s%s%s",
					op, txn->label, txn->store, status ? status : "no status",
					msg && *msg ? ": " : "", msg ? msg : ""),
			 error_url ? errdetail("ErrorURL: %s%s%s", error_url, log ? " Error log: " : "",
								   log ? log : "") : 0,
			 errhint("Nothing of this load becomes visible; the local transaction rolls back.")));
}

static void
register_hooks(void)
{
	if (hooks_registered)
		return;
	txn_cxt = AllocSetContextCreate(TopMemoryContext, "datastore StarRocks transactions",
									ALLOCSET_SMALL_SIZES);
	RegisterXactCallback(xact_callback, NULL);
	RegisterSubXactCallback(subxact_callback, NULL);
	before_shmem_exit(exit_callback, (Datum) 0);
	hooks_registered = true;
}

DsSrTxn *
ds_sr_txn_begin(DsPool *pool, const char *db, const char *table, const char *label,
				List *headers, Jsonb **done)
{
	DsSrTxn		tmp = {0};
	DsSrTxn    *txn;
	DsHttpResponse resp;
	DsJsonItems obj;
	Jsonb	   *answer;
	List	   *extra = list_copy(headers);
	ListCell   *lc;

	register_hooks();
	/* Created now so that aborts never have to. */
	if (txn_client == NULL)
		txn_client = ds_http_client_create();

	tmp.store = pool->name;
	tmp.fe_base = ds_sr_fe_url(pool, "");
	tmp.be_host = ds_sr_be_host(pool->store);
	ds_sr_set_auth_tls(pool, &tmp.auth);
	tmp.db = (char *) db;
	tmp.table = (char *) table;
	tmp.label = (char *) label;
	foreach(lc, headers)
		if (pg_strncasecmp(lfirst(lc), "max_filter_ratio:", 17) == 0)
			tmp.ratio_header = lfirst(lc);

	/* A backend that dies without a word must not leave it open for long. */
	if (!ds_sr_has_header(headers, "timeout"))
		extra = lappend(extra, psprintf("timeout: %d", DS_SR_TXN_DEFAULT_TIMEOUT));
	if (!ds_sr_has_header(headers, "prepared_timeout"))
		extra = lappend(extra, psprintf("prepared_timeout: %d", DS_SR_TXN_DEFAULT_TIMEOUT));

	HOLD_INTERRUPTS();
	txn_request(&tmp, "begin", extra, TXN_BEGIN, &resp);
	if (resp.error)
	{
		/*
		 * No answer (the server is slow and the backend was told to stop,
		 * or the connection broke): the server may have begun it anyway,
		 * which would keep the label busy until its timeout.
		 */
		DsHttpResponse rb;
		DsJsonItems rbobj;
		bool		parsed;

		txn_request(&tmp, "rollback", NIL, TXN_CLEANUP, &rb);
		parsed = rb.status == 200 && ds_sr_answer_object(rb.body.data, rb.body.len, &rbobj);
		ereport(ERROR,
				(errcode(ERRCODE_CONNECTION_FAILURE),
				 errmsg("transaction begin of load \"%s\" on datastore \"%s\" got no answer: %s",
						label, pool->name, resp.error),
				 errdetail("A rollback of the label was sent in case the server had begun it; its answer was %s.",
						   step_outcome(&rb, &rbobj, parsed)),
				 errhint("Nothing was loaded. If the label is still busy, the server aborts it after its timeout (%d s unless the options said otherwise).",
						 DS_SR_TXN_DEFAULT_TIMEOUT)));
	}
	answer = txn_answer(&tmp, "begin", &resp, &obj);
	switch (ds_sr_txn_verdict(&obj))
	{
		case DS_SR_TXN_OK:
			break;
		case DS_SR_TXN_ALREADY_LOADED:
			RESUME_INTERRUPTS();
			ereport(NOTICE,
					(errmsg("stream load label \"%s\" already loaded on datastore \"%s\"; nothing loaded again",
							label, pool->name)));
			*done = answer;
			return NULL;
		case DS_SR_TXN_LABEL_BUSY:
			ereport(ERROR,
					(errcode(ERRCODE_UNIQUE_VIOLATION),
					 errmsg("stream load label \"%s\" on datastore \"%s\" belongs to a transaction that is still open",
							label, pool->name),
					 errdetail("%s", ds_sr_message(&obj) ? ds_sr_message(&obj) : ""),
					 errhint("Another session may be loading with this label, or a backend that died left it prepared; the server aborts it after its prepared_timeout. ds_load_state() shows its state.")));
			break;
		default:
			txn_failed(&tmp, "begin", &obj, NULL);
	}

	txn = MemoryContextAllocZero(txn_cxt, sizeof(DsSrTxn));
	txn->store = copy_or_null(tmp.store);
	txn->fe_base = copy_or_null(tmp.fe_base);
	txn->be_host = copy_or_null(tmp.be_host);
	txn->auth.user = copy_or_null(tmp.auth.user);
	txn->auth.password = copy_or_null(tmp.auth.password);
	txn->auth.verify_peer = tmp.auth.verify_peer;
	txn->auth.verify_host = tmp.auth.verify_host;
	txn->auth.ca = copy_or_null(tmp.auth.ca);
	txn->auth.cert = copy_or_null(tmp.auth.cert);
	txn->auth.key = copy_or_null(tmp.auth.key);
	txn->db = copy_or_null(db);
	txn->table = copy_or_null(table);
	txn->label = copy_or_null(label);
	txn->ratio_header = copy_or_null(tmp.ratio_header);
	txn->txn_id = ds_sr_member_int(&obj, "TxnId");
	txn->level = GetCurrentTransactionNestLevel();
	{
		MemoryContext old = MemoryContextSwitchTo(txn_cxt);

		pending = lappend(pending, txn);
		MemoryContextSwitchTo(old);
	}
	/* Known now: a terminate that came meanwhile exits through its rollback. */
	RESUME_INTERRUPTS();
	CHECK_FOR_INTERRUPTS();
	return txn;
}

char *
ds_sr_txn_load_url(DsSrTxn *txn, DsPool *pool)
{
	return ds_sr_fe_url(pool, "/api/transaction/load");
}

void
ds_sr_txn_check_load(DsSrTxn *txn, DsPool *pool, const char *url, DsHttpResponse *resp)
{
	DsJsonItems obj;

	txn_answer(txn, "load", resp, &obj);
	if (ds_sr_txn_verdict(&obj) != DS_SR_TXN_OK)
		txn_failed(txn, "load", &obj, NULL);
}

Jsonb *
ds_sr_txn_prepare(DsSrTxn *txn, DsPool *pool, int nloads)
{
	DsHttpResponse resp;
	DsJsonItems obj;
	Jsonb	   *answer;
	StringInfoData extra;

	HOLD_INTERRUPTS();
	txn_request(txn, "prepare", txn->ratio_header ? list_make1(txn->ratio_header) : NIL,
				TXN_STEP, &resp);
	answer = txn_answer(txn, "prepare", &resp, &obj);
	if (ds_sr_txn_verdict(&obj) != DS_SR_TXN_OK)
	{
		char	   *error_url = ds_sr_member_text(&obj, "ErrorURL");

		txn_failed(txn, "prepare", &obj,
				   error_url ? ds_sr_error_log_excerpt(pool, resp.url, error_url) : NULL);
	}
	txn->prepared = true;
	RESUME_INTERRUPTS();
	CHECK_FOR_INTERRUPTS();

	/* The server's counts, marked as waiting for the local commit. */
	initStringInfo(&extra);
	appendStringInfo(&extra,
					 "{\"Status\": \"PREPARED\", \"Message\": \"visible when the local transaction commits\", \"NumberOfLoads\": %d}",
					 nloads);
	return DatumGetJsonbP(DirectFunctionCall2(jsonb_concat, JsonbPGetDatum(answer),
											  DirectFunctionCall1(jsonb_in,
																  CStringGetDatum(extra.data))));
}

/* ---- the end of the local transaction ---- */

static void
commit_context(void *arg)
{
	DsSrTxn    *txn = (DsSrTxn *) arg;

	errcontext("committing StarRocks transaction load \"%s\" on datastore \"%s\"",
			   txn->label, txn->store);
}

/*
 * The local transaction is failing after its pre-commit committed these on
 * the server (a later load's commit, a later pre-commit step, another
 * extension's): say so, since nothing else will, and only once.
 */
static void
report_committed(void)
{
	ListCell   *lc;

	foreach(lc, committed)
	{
		DsSrTxn    *txn = lfirst(lc);

		ereport(WARNING,
				(errmsg("transaction load \"%s\" on datastore \"%s\" was committed on the server, but the local transaction did not commit",
						txn->label, txn->store),
				 errdetail("StarRocks committed it during the local commit, which failed afterwards: its rows are visible."),
				 errhint("Retrying the work with the same label loads nothing twice.")));
	}
	committed = NIL;
}

/*
 * The label's state on the server (VISIBLE, COMMITTED, PREPARED, ABORTED,
 * UNKNOWN...), asked with the transaction's own credentials; NULL if the
 * server does not say.  Never ERRORs.
 */
static char *
txn_load_state(DsSrTxn *txn)
{
	DsHttpRequest req = txn->auth;
	DsHttpResponse resp;
	DsJsonItems obj;

	req.method = "GET";
	req.url = psprintf("%s%s", txn->fe_base, ds_sr_load_state_path(txn->db, txn->label));
	req.quiet = true;
	req.finish_first = true;
	req.timeout_ms = ds_cancel_timeout * 1000;
	ds_http_perform(txn_client, &req, &resp, txn->store);
	if (resp.status != 200 || !ds_sr_parse_answer(resp.body.data, resp.body.len, &obj))
		return NULL;
	return ds_sr_load_state_of(&obj, GetDatabaseEncoding());
}

static bool
state_is(const char *state, const char *what)
{
	return state != NULL && strcmp(state, what) == 0;
}

/* What the server answered to a step, for a message. */
static char *
step_outcome(DsHttpResponse *resp, DsJsonItems *obj, bool parsed)
{
	char	   *msg;
	char	   *status;

	if (resp->error)
		return psprintf("none (%s)", resp->error);
	if (!parsed)
		return psprintf("HTTP %ld, %s", resp->status,
						ds_sr_excerpt(resp->body.data, resp->body.len));
	msg = ds_sr_message(obj);
	status = ds_sr_member_text(obj, "Status");
	return psprintf("%s%s%s", status ? status : "no status", msg && *msg ? ": " : "", msg ? msg : "");
}

/*
 * Commits one transaction; ERRORs (which abort the local transaction) when
 * it is not committed.  The request is finished even if the backend is
 * told to stop meanwhile (for at most datastore.cancel_timeout after that):
 * a terminate that cut it short would leave the local side not knowing
 * whether the rows landed.  Whatever answer is not a plain yes or no is
 * checked against the label's state before anything is said about it.
 */
static void
commit_one(DsSrTxn *txn)
{
	DsHttpResponse resp;
	DsJsonItems obj;
	ErrorContextCallback errcb;
	bool		parsed;
	DsSrTxnVerdict verdict;
	char	   *state;

	errcb.callback = commit_context;
	errcb.arg = txn;
	errcb.previous = error_context_stack;
	error_context_stack = &errcb;

	HOLD_INTERRUPTS();
	if (!txn_request(txn, "commit", NIL, TXN_COMMIT, &resp))
	{
		report_committed();
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("transaction load \"%s\" on datastore \"%s\" was not committed", txn->label, txn->store),
				 errdetail("The commit was not sent on to the BE: %s.", resp.error),
				 errhint("Nothing of it is visible; the local transaction rolls back.")));
	}
	parsed = resp.status == 200 && ds_sr_answer_object(resp.body.data, resp.body.len, &obj);
	verdict = parsed ? ds_sr_txn_verdict(&obj) : DS_SR_TXN_FAILED;
	if (verdict == DS_SR_TXN_OK)
		state = "VISIBLE";
	else if (verdict == DS_SR_TXN_NOT_VISIBLE)
		state = "COMMITTED";
	else
		state = txn_load_state(txn);

	if (state_is(state, "COMMITTED"))
		ereport(WARNING,
				(errmsg("transaction load \"%s\" on datastore \"%s\" is committed but not yet visible",
						txn->label, txn->store),
				 errdetail("The server publishes it later; ds_load_state() shows when it is VISIBLE.")));
	else if (state_is(state, "VISIBLE"))
	{
		if (verdict != DS_SR_TXN_OK)
			ereport(NOTICE,
					(errmsg("transaction load \"%s\" on datastore \"%s\" is committed",
							txn->label, txn->store),
					 errdetail("The commit's answer was %s; the label's state is VISIBLE.",
							   step_outcome(&resp, &obj, parsed))));
	}
	else if (state == NULL || (!parsed && (state_is(state, "PREPARED") || state_is(state, "PREPARE"))))
	{
		/* Unanswered and still prepared: the server may be committing it yet. */
		report_committed();
		ereport(ERROR,
				(errcode(ERRCODE_CONNECTION_FAILURE),
				 errmsg("could not tell whether transaction load \"%s\" on datastore \"%s\" committed",
						txn->label, txn->store),
				 state == NULL
				 ? errdetail("The commit's answer was %s, and the label's state could not be read.",
							 step_outcome(&resp, &obj, parsed))
				 : errdetail("The commit's answer was %s, and the label is still %s: the server may be committing it yet.",
							 step_outcome(&resp, &obj, parsed), state),
				 errhint("The local transaction rolls back.  ds_load_state('%s', '%s') tells what the server did: VISIBLE or COMMITTED means the rows landed.",
						 txn->store, txn->label)));
	}
	else if (verdict == DS_SR_TXN_NOT_FOUND)
	{
		report_committed();
		ereport(ERROR,
				(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
				 errmsg("transaction load \"%s\" on datastore \"%s\" no longer exists on the server",
						txn->label, txn->store),
				 errdetail("The commit's answer was %s; the label's state is %s.",
						   step_outcome(&resp, &obj, parsed), state),
				 errhint("The server aborted it, most likely because it stayed prepared longer than its prepared_timeout (default %d s). Nothing of it is visible; the local transaction rolls back.",
						 DS_SR_TXN_DEFAULT_TIMEOUT)));
	}
	else
	{
		report_committed();
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("transaction load \"%s\" on datastore \"%s\" was not committed",
						txn->label, txn->store),
				 errdetail("The commit's answer was %s; the label's state is %s.",
						   step_outcome(&resp, &obj, parsed), state),
				 errhint("Nothing of it is visible; the local transaction rolls back.")));
	}
	RESUME_INTERRUPTS();
	error_context_stack = errcb.previous;
}

static void
commit_all(void)
{
	/* One by one: a failure leaves the rest pending, for the abort. */
	while (pending != NIL)
	{
		DsSrTxn    *txn = linitial(pending);
		MemoryContext old;

		commit_one(txn);
		pending = list_delete_first(pending);
		old = MemoryContextSwitchTo(txn_cxt);
		committed = lappend(committed, txn);
		MemoryContextSwitchTo(old);
	}
}

/*
 * The WARNING of a rollback that did not go through, saying what the
 * label's state says of the rows (state NULL: the server did not tell;
 * busy: it is still doing an earlier request on it, a commit this side
 * stopped waiting for).
 */
static void
rollback_failed(DsSrTxn *txn, const char *why, const char *state, bool busy)
{
	if (busy)
		ereport(WARNING,
				(errmsg("could not roll back transaction load \"%s\" on datastore \"%s\": %s",
						txn->label, txn->store, why),
				 errdetail("The server is still doing an earlier request on it, whose outcome it decides: ds_load_state('%s', '%s') tells whether the rows landed.",
						   txn->store, txn->label)));
	else if (state_is(state, "VISIBLE") || state_is(state, "COMMITTED"))
		ereport(WARNING,
				(errmsg("transaction load \"%s\" on datastore \"%s\" was committed on the server, but the local transaction did not commit",
						txn->label, txn->store),
				 errdetail("The label's state is %s: its rows are %s. The rollback was answered with: %s",
						   state, state_is(state, "VISIBLE") ? "visible" : "committed, visible once published", why)));
	else if (state_is(state, "PREPARED") || state_is(state, "PREPARE"))
		ereport(WARNING,
				(errmsg("could not roll back transaction load \"%s\" on datastore \"%s\": %s",
						txn->label, txn->store, why),
				 errdetail("Its state is %s: nothing of it is visible, and the server aborts it after its timeout.",
						   state)));
	else if (state != NULL)
		ereport(WARNING,
				(errmsg("could not roll back transaction load \"%s\" on datastore \"%s\": %s",
						txn->label, txn->store, why),
				 errdetail("Its state is %s: nothing of it is visible.", state)));
	else
		ereport(WARNING,
				(errmsg("could not roll back transaction load \"%s\" on datastore \"%s\": %s",
						txn->label, txn->store, why),
				 errdetail("Its state could not be read; ds_load_state('%s', '%s') tells. Unless it was committed, the server aborts it after its timeout.",
						   txn->store, txn->label)));
}

/* Never ERRORs: runs during abort and exit. */
static void
rollback_one(DsSrTxn *txn)
{
	MemoryContext cxt = CurrentMemoryContext;
	int			holdoff = InterruptHoldoffCount;

	PG_TRY();
	{
		DsHttpResponse resp;
		DsJsonItems obj;
		DsSrTxnVerdict verdict;
		char	   *msg;
		TimestampTz until = TimestampTzPlusMilliseconds(GetCurrentTimestamp(),
														ds_cancel_timeout * 1000);

		for (;;)
		{
			verdict = DS_SR_TXN_FAILED;
			msg = NULL;
			txn_request(txn, "rollback", NIL, TXN_CLEANUP, &resp);
			if (resp.status == 200 && ds_sr_answer_object(resp.body.data, resp.body.len, &obj))
			{
				verdict = ds_sr_txn_verdict(&obj);
				msg = ds_sr_message(&obj);
			}
			else if (resp.error)
				msg = resp.error;
			else
				msg = psprintf("HTTP %ld", resp.status);

			/*
			 * Busy: the server is still on an earlier request of it, such as a
			 * load this backend walked away from, which fails once it sees
			 * the connection gone.  Ask again, within cancel_timeout.
			 */
			if (verdict != DS_SR_TXN_BUSY || GetCurrentTimestamp() >= until)
				break;
			(void) ds_wait_socket(PGINVALID_SOCKET, 0, 200, until, false, DS_WAIT_EVENT_HTTP);
		}
		/* Not found: it never got far enough, or the server already aborted it. */
		if (verdict == DS_SR_TXN_BUSY)
			rollback_failed(txn, msg ? msg : "no message", NULL, true);
		else if (verdict != DS_SR_TXN_OK && verdict != DS_SR_TXN_NOT_FOUND)
			rollback_failed(txn, msg ? msg : "no message", txn_load_state(txn), false);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		/* An ERROR zeroed it; the abort or exit this runs in holds interrupts. */
		InterruptHoldoffCount = holdoff;
		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		rollback_failed(txn, edata->message, NULL, false);
		FreeErrorData(edata);
	}
	PG_END_TRY();
}

/* Rolls back the transactions of nesting level >= level. */
static void
rollback_from(int level)
{
	MemoryContext work;
	MemoryContext old;

	if (pending == NIL)
		return;
	work = AllocSetContextCreate(TopMemoryContext, "datastore StarRocks rollback",
								 ALLOCSET_SMALL_SIZES);
	old = MemoryContextSwitchTo(work);
	for (;;)
	{
		DsSrTxn    *txn = NULL;
		ListCell   *lc;

		foreach(lc, pending)
		{
			if (((DsSrTxn *) lfirst(lc))->level >= level)
			{
				txn = lfirst(lc);
				/* Forgotten first: an exit during the request must not retry it. */
				pending = foreach_delete_current(pending, lc);
				break;
			}
		}
		if (txn == NULL)
			break;
		rollback_one(txn);
		MemoryContextReset(work);
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(work);
}

static void
forget_all(void)
{
	pending = NIL;
	committed = NIL;
	if (txn_cxt)
		MemoryContextReset(txn_cxt);
}

static void
xact_callback(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_PRE_COMMIT:
			commit_all();
			break;
		case XACT_EVENT_PRE_PREPARE:
			if (pending != NIL)
				ereport(ERROR,
						(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						 errmsg("cannot PREPARE a transaction that has StarRocks transaction loads")));
			break;
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
			report_committed();
			rollback_from(0);
			forget_all();
			break;
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_PREPARE:
			/* PRE_COMMIT committed them all; PRE_PREPARE refused them. */
			Assert(pending == NIL);
			forget_all();
			break;
		default:
			break;
	}
}

static void
subxact_callback(SubXactEvent event, SubTransactionId mySubid,
				 SubTransactionId parentSubid, void *arg)
{
	int			level = GetCurrentTransactionNestLevel();
	ListCell   *lc;

	if (event == SUBXACT_EVENT_ABORT_SUB)
		rollback_from(level);
	else if (event == SUBXACT_EVENT_COMMIT_SUB)
	{
		/* Released savepoint: the parent now decides. */
		foreach(lc, pending)
		{
			DsSrTxn    *txn = lfirst(lc);

			if (txn->level >= level)
				txn->level = level - 1;
		}
	}
}

/*
 * pg_terminate_backend() and lost clients exit through proc_exit(); this
 * runs before the local transaction is aborted there.  A SIGKILLed backend
 * never gets here: the server's timeouts clean up after it.
 */
static void
exit_callback(int code, Datum arg)
{
	HOLD_INTERRUPTS();
	/* A load the exit cut short would keep its transaction busy meanwhile. */
	if (pending != NIL)
		ds_http_abandon_transfers();
	rollback_from(0);
	RESUME_INTERRUPTS();
}
