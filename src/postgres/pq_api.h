/*
 * pq_api.h
 *		libpq, loaded with dlopen() on first use of a remote postgres store.
 *
 * The extension is compiled against libpq-fe.h but never linked with libpq:
 * every call goes through the function table below, filled by dlsym() the
 * first time a remote postgres store is used.  A backend that never touches
 * one never maps the library.
 */
#ifndef DS_PQ_API_H
#define DS_PQ_API_H

/*
 * Through the postgresql/ prefix: adding that directory to the include path
 * would let its client pg_config.h shadow the server's.
 */
#include <postgresql/libpq-fe.h>

#define DS_PQ_FUNCTIONS(X) \
	X(int, PQlibVersion, (void)) \
	X(PGconn *, PQconnectStartParams, (const char *const *, const char *const *, int)) \
	X(PostgresPollingStatusType, PQconnectPoll, (PGconn *)) \
	X(ConnStatusType, PQstatus, (const PGconn *)) \
	X(PGTransactionStatusType, PQtransactionStatus, (const PGconn *)) \
	X(int, PQsocket, (const PGconn *)) \
	X(char *, PQerrorMessage, (const PGconn *)) \
	X(void, PQfinish, (PGconn *)) \
	X(int, PQbackendPID, (const PGconn *)) \
	X(char *, PQhost, (const PGconn *)) \
	X(char *, PQhostaddr, (const PGconn *)) \
	X(char *, PQport, (const PGconn *)) \
	X(int, PQserverVersion, (const PGconn *)) \
	X(int, PQclientEncoding, (const PGconn *)) \
	X(int, PQconnectionUsedPassword, (const PGconn *)) \
	X(int, PQsslInUse, (PGconn *)) \
	X(int, PQsetnonblocking, (PGconn *, int)) \
	X(PQnoticeReceiver, PQsetNoticeReceiver, (PGconn *, PQnoticeReceiver, void *)) \
	X(int, PQsendQuery, (PGconn *, const char *)) \
	X(int, PQsendQueryParams, (PGconn *, const char *, int, const Oid *, const char *const *, const int *, const int *, int)) \
	X(int, PQsetSingleRowMode, (PGconn *)) \
	X(int, PQconsumeInput, (PGconn *)) \
	X(int, PQisBusy, (PGconn *)) \
	X(int, PQflush, (PGconn *)) \
	X(PGresult *, PQgetResult, (PGconn *)) \
	X(PGnotify *, PQnotifies, (PGconn *)) \
	X(void, PQfreemem, (void *)) \
	X(ExecStatusType, PQresultStatus, (const PGresult *)) \
	X(char *, PQresultErrorMessage, (const PGresult *)) \
	X(char *, PQresultErrorField, (const PGresult *, int)) \
	X(void, PQclear, (PGresult *)) \
	X(int, PQntuples, (const PGresult *)) \
	X(int, PQnfields, (const PGresult *)) \
	X(char *, PQfname, (const PGresult *, int)) \
	X(Oid, PQftype, (const PGresult *, int)) \
	X(int, PQfmod, (const PGresult *, int)) \
	X(char *, PQgetvalue, (const PGresult *, int, int)) \
	X(int, PQgetlength, (const PGresult *, int, int)) \
	X(int, PQgetisnull, (const PGresult *, int, int)) \
	X(char *, PQcmdTuples, (PGresult *)) \
	X(int, PQputCopyData, (PGconn *, const char *, int)) \
	X(int, PQputCopyEnd, (PGconn *, const char *))

#define DS_PQ_FN_FIELD(ret, name, args) ret (*name) args;

typedef struct DsPqApi
{
DS_PQ_FUNCTIONS(DS_PQ_FN_FIELD)
} DsPqApi;

/* Loads libpq on first call; ERROR if no candidate can be used. */
extern const DsPqApi *ds_pq_api(void);

/* From _PG_init: defines datastore.libpq_library. */
extern void ds_pq_define_library(void);

#endif							/* DS_PQ_API_H */
