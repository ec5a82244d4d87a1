/*
 * sr_txn.h
 *		StarRocks transaction stream loads tied to the local transaction:
 *		begun and prepared during ds_stream_load*(), committed in the local
 *		pre-commit, rolled back when the local (sub)transaction aborts or the
 *		backend exits.
 */
#ifndef DS_SR_TXN_H
#define DS_SR_TXN_H

#include "nodes/pg_list.h"
#include "utils/jsonb.h"

#include "core/http.h"
#include "core/pool.h"

/* Seconds a remote transaction may stay begun, and stay prepared, by default. */
#define DS_SR_TXN_DEFAULT_TIMEOUT 600

typedef struct DsSrTxn DsSrTxn;

/*
 * Begins a remote transaction (headers: the load's own, passed through so
 * that the user's timeout and prepared_timeout reach the server) and ties it
 * to the current local (sub)transaction.  If the label's earlier job already
 * FINISHED, returns NULL with the server's answer in *done: a retry of a
 * load that went through.  Any other failure is an ERROR.
 */
extern DsSrTxn *ds_sr_txn_begin(DsPool *pool, const char *db, const char *table,
								const char *label, List *headers, Jsonb **done);

/* The FE URL and the headers for one /api/transaction/load of this txn. */
extern char *ds_sr_txn_load_url(DsSrTxn *txn, DsPool *pool);
extern List *ds_sr_txn_headers(DsSrTxn *txn, List *headers);

/* Judges the answer of one /load; ERROR (the abort rolls back) unless OK. */
extern void ds_sr_txn_check_load(DsSrTxn *txn, DsPool *pool, const char *url,
								 DsHttpResponse *resp);

/*
 * Prepares the transaction (its data is then durable but invisible until
 * the local commit) and returns the server's answer as the load's result,
 * with Status "PREPARED".
 */
extern Jsonb *ds_sr_txn_prepare(DsSrTxn *txn, DsPool *pool, int nloads);

#endif							/* DS_SR_TXN_H */
