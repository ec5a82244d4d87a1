/*
 * wait.c
 *		The socket wait of every client (MySQL, libpq, libcurl).
 */
#include "postgres.h"

#include "miscadmin.h"
#include "storage/latch.h"
#include "utils/timestamp.h"
#include "utils/wait_event.h"

#include "core/wait.h"

static uint32
wait_event_info(DsWaitEvent event)
{
#if PG_VERSION_NUM >= 170000
	static const char *const names[] = {"DatastoreMySQL", "DatastorePostgres", "DatastoreHTTP"};
	static uint32 ids[lengthof(names)];

	if (ids[event] == 0)
		ids[event] = WaitEventExtensionNew(names[event]);
	return ids[event];
#else
	return PG_WAIT_EXTENSION;
#endif
}

/*
 * One WaitLatchOrSocket().  From 17 on, that registers its wait set with
 * CurrentResourceOwner, which is being released while an aborting
 * transaction closes a pool's connections (a release callback), and
 * closing one may wait for its cancel or KILL: a set with no owner is legal
 * there too, and is freed here, on an ERROR as well (it holds a kernel fd).
 */
static int
wait_once(int events, pgsocket sock, long timeout, uint32 wait_event)
{
#if PG_VERSION_NUM >= 170000
	WaitEventSet *set = CreateWaitEventSet(NULL, 3);
	WaitEvent	ev;
	int			rc = 0;

	PG_TRY();
	{
		AddWaitEventToSet(set, WL_LATCH_SET, PGINVALID_SOCKET, MyLatch, NULL);
		if (IsUnderPostmaster)
			AddWaitEventToSet(set, WL_EXIT_ON_PM_DEATH, PGINVALID_SOCKET, NULL, NULL);
		if (events & WL_SOCKET_MASK)
			AddWaitEventToSet(set, events & WL_SOCKET_MASK, sock, NULL, NULL);
		if (WaitEventSetWait(set, (events & WL_TIMEOUT) ? timeout : -1, &ev, 1, wait_event) == 0)
			rc = WL_TIMEOUT;
		else
			rc = ev.events & (WL_LATCH_SET | WL_SOCKET_MASK);
	}
	PG_FINALLY();
	{
		FreeWaitEventSet(set);
	}
	PG_END_TRY();
	return rc;
#else
	return WaitLatchOrSocket(MyLatch, events, sock, timeout, wait_event);
#endif
}

int
ds_wait_socket(pgsocket sock, int want, long timeout_ms, TimestampTz deadline,
			   bool interruptible, DsWaitEvent event)
{
	int			events = WL_LATCH_SET | WL_EXIT_ON_PM_DEATH;
	long		timeout = timeout_ms;
	int			rc;
	int			result = 0;

	if (sock != PGINVALID_SOCKET)
	{
		if (want & DS_WAIT_READABLE)
			events |= WL_SOCKET_READABLE;
		if (want & DS_WAIT_WRITEABLE)
			events |= WL_SOCKET_WRITEABLE;
	}
	if (deadline != 0)
	{
		long		left = TimestampDifferenceMilliseconds(GetCurrentTimestamp(), deadline);

		if (left <= 0)
			return DS_WAIT_DEADLINE;
		timeout = (timeout < 0) ? left : Min(timeout, left);
	}
	if (timeout >= 0)
		events |= WL_TIMEOUT;

	rc = wait_once(events, sock, timeout, wait_event_info(event));
	if (rc & WL_LATCH_SET)
		ResetLatch(MyLatch);
	if (interruptible)
		CHECK_FOR_INTERRUPTS();
	if (rc & WL_SOCKET_READABLE)
		result |= DS_WAIT_READABLE;
	if (rc & WL_SOCKET_WRITEABLE)
		result |= DS_WAIT_WRITEABLE;
	if (result == 0 && (rc & WL_TIMEOUT))
	{
		/* The deadline, not the caller's timeout, decides (and says why). */
		if (deadline != 0 && GetCurrentTimestamp() >= deadline)
			result = DS_WAIT_DEADLINE;
		else
			result = DS_WAIT_TIMEOUT;
	}
	return result;
}
