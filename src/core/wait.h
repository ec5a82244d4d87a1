/*
 * wait.h
 *		The one wait for a client library's socket: on the process latch, so
 *		that statement_timeout, pg_cancel_backend() and postmaster death
 *		reach a backend that is waiting on a remote server.
 */
#ifndef DS_WAIT_H
#define DS_WAIT_H

#include "datatype/timestamp.h"

/* What a wait asks for (want) and what it ends on (the result). */
#define DS_WAIT_READABLE	0x01
#define DS_WAIT_WRITEABLE	0x02
#define DS_WAIT_TIMEOUT		0x04	/* timeout_ms passed */
#define DS_WAIT_DEADLINE	0x08	/* the deadline passed, the socket not ready */

/* Wait events, as pg_stat_activity shows them (custom names on 17+). */
typedef enum DsWaitEvent
{
	DS_WAIT_EVENT_MYSQL,
	DS_WAIT_EVENT_POSTGRES,
	DS_WAIT_EVENT_HTTP
} DsWaitEvent;

/*
 * One wait until sock (PGINVALID_SOCKET: none) is ready for want, or
 * timeout_ms (-1: none) passes, or the deadline (0: none) is reached.
 * Returns what happened, or 0 if the latch woke it first (the caller asks
 * again).  Interrupts are served unless interruptible is false: cleanup
 * during abort must finish its bounded work.
 */
extern int	ds_wait_socket(pgsocket sock, int want, long timeout_ms, TimestampTz deadline,
						   bool interruptible, DsWaitEvent event);

#endif							/* DS_WAIT_H */
