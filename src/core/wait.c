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

	rc = WaitLatchOrSocket(MyLatch, events, sock, timeout, wait_event_info(event));
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
