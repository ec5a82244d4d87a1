/*
 * progress.c
 *		ds_progress(): what every backend's datastore calls have done so far,
 *		and the datastore.progress_notice_rows NOTICEs.
 *
 * With datastore in shared_preload_libraries, shared memory holds one slot
 * per backend (indexed by its BackendId), written only by that backend.
 * Totals change once per row, so a slot is not locked: the owner bumps a
 * change counter before and after each write, as pgstat_report_activity()
 * does with st_changecount, and a reader copies the slot until it sees the
 * same even count on both sides.  Writing costs two counter increments and
 * compiler barriers; reading never blocks the writer.
 *
 * Without the preload the calls still keep their counts in local memory,
 * for the NOTICEs; only ds_progress() needs the shared memory.
 */
#include "postgres.h"

#include "utils/guc.h"

#include "access/xact.h"
#include "catalog/pg_authid.h"
#include "commands/dbcommands.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "port/atomics.h"
#if PG_VERSION_NUM < 170000
#include "storage/backendid.h"
#endif
#include "storage/ipc.h"
#include "storage/lwlock.h"
#include "storage/shmem.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "core/compat.h"
#include "core/progress.h"

/* Room for a schema-qualified name or db.table, and a batched label. */
#define DS_PROGRESS_TARGET_LEN 256
#define DS_PROGRESS_LABEL_LEN 160

int			ds_progress_notice_rows = 0;

typedef struct ProgressSlot
{
	int			changecount;	/* odd while the owner is writing */
	int			pid;			/* 0: no call in progress */
	Oid			dbid;
	Oid			userid;
	DsProgressKind kind;
	TimestampTz started;
	int64		rows;
	int64		bytes;
	char		store[NAMEDATALEN];
	char		target[DS_PROGRESS_TARGET_LEN];
	char		label[DS_PROGRESS_LABEL_LEN];
} ProgressSlot;

typedef struct ProgressShared
{
	int			nslots;
	ProgressSlot slots[FLEXIBLE_ARRAY_MEMBER];
} ProgressShared;

/* One call of this backend; frames[nframes - 1] is running now. */
typedef struct ProgressFrame
{
	DsProgressKind kind;
	SubTransactionId subid;		/* ended when this subtransaction aborts */
	TimestampTz started;
	int64		rows;
	int64		bytes;
	char		store[NAMEDATALEN];
	char		target[DS_PROGRESS_TARGET_LEN];
	char		label[DS_PROGRESS_LABEL_LEN];
} ProgressFrame;

static ProgressShared *shared = NULL;
static shmem_request_hook_type prev_shmem_request_hook = NULL;
static shmem_startup_hook_type prev_shmem_startup_hook = NULL;

static ProgressFrame *frames = NULL;
static int	nframes = 0;
static int	maxframes = 0;
static volatile ProgressSlot *my_slot = NULL;
static bool exit_callback_registered = false;

static void progress_xact_callback(XactEvent event, void *arg);
static void progress_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
									  SubTransactionId parentSubid, void *arg);

static const char *const kind_names[] = {
	[DS_PROGRESS_QUERY] = "query",
	[DS_PROGRESS_EXEC] = "exec",
	[DS_PROGRESS_HTTP_QUERY] = "http_query",
	[DS_PROGRESS_STREAM_LOAD] = "stream_load",
	[DS_PROGRESS_STREAM_LOAD_QUERY] = "stream_load_query",
	[DS_PROGRESS_SYNC] = "sync",
};

/* ---- shared memory ---- */

static Size
shared_size(void)
{
	return add_size(offsetof(ProgressShared, slots),
					mul_size(MaxBackends, sizeof(ProgressSlot)));
}

static void
progress_shmem_request(void)
{
	if (prev_shmem_request_hook)
		prev_shmem_request_hook();
	RequestAddinShmemSpace(shared_size());
}

static void
progress_shmem_startup(void)
{
	bool		found;

	if (prev_shmem_startup_hook)
		prev_shmem_startup_hook();
	LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
	shared = ShmemInitStruct("datastore progress", shared_size(), &found);
	if (!found)
	{
		memset(shared, 0, shared_size());
		shared->nslots = MaxBackends;
	}
	LWLockRelease(AddinShmemInitLock);
}

void
ds_progress_init(void)
{
	if (process_shared_preload_libraries_in_progress)
	{
		prev_shmem_request_hook = shmem_request_hook;
		shmem_request_hook = progress_shmem_request;
		prev_shmem_startup_hook = shmem_startup_hook;
		shmem_startup_hook = progress_shmem_startup;
	}
	RegisterXactCallback(progress_xact_callback, NULL);
	RegisterSubXactCallback(progress_subxact_callback, NULL);
}

#define BEGIN_SLOT_WRITE(s) \
	do { (s)->changecount++; pg_write_barrier(); } while (0)
#define END_SLOT_WRITE(s) \
	do { pg_write_barrier(); (s)->changecount++; } while (0)

static void
clear_slot(void)
{
	if (my_slot == NULL)
		return;
	BEGIN_SLOT_WRITE(my_slot);
	my_slot->pid = 0;
	END_SLOT_WRITE(my_slot);
}

static void
progress_shmem_exit(int code, Datum arg)
{
	clear_slot();
	my_slot = NULL;
}

/* This backend's slot, or NULL without the preload (or for a process without one). */
static volatile ProgressSlot *
slot_of_backend(void)
{
	if (shared == NULL || DS_MY_BACKEND_INDEX < 0 || DS_MY_BACKEND_INDEX >= shared->nslots)
		return NULL;
	if (!exit_callback_registered)
	{
		before_shmem_exit(progress_shmem_exit, (Datum) 0);
		exit_callback_registered = true;
	}
	return &shared->slots[DS_MY_BACKEND_INDEX];
}

/* Shows the running call (the innermost), or nothing when none runs. */
static void
publish_frame(void)
{
	ProgressFrame *f;

	if (my_slot == NULL)
		return;
	if (nframes == 0)
	{
		clear_slot();
		return;
	}
	f = &frames[nframes - 1];
	BEGIN_SLOT_WRITE(my_slot);
	my_slot->pid = MyProcPid;
	my_slot->dbid = MyDatabaseId;
	my_slot->userid = GetUserId();
	my_slot->kind = f->kind;
	my_slot->started = f->started;
	my_slot->rows = f->rows;
	my_slot->bytes = f->bytes;
	memcpy((char *) my_slot->store, f->store, sizeof(f->store));
	memcpy((char *) my_slot->target, f->target, sizeof(f->target));
	memcpy((char *) my_slot->label, f->label, sizeof(f->label));
	END_SLOT_WRITE(my_slot);
}

/* ---- the calls of this backend ---- */

/* Copies s into a fixed buffer, cut at a character boundary. */
static void
copy_text(char *dst, size_t size, const char *s)
{
	int			len;

	if (s == NULL)
	{
		dst[0] = '\0';
		return;
	}
	len = pg_mbcliplen(s, strlen(s), size - 1);
	memcpy(dst, s, len);
	dst[len] = '\0';
}

void
ds_progress_begin(DsProgressKind kind, const char *store, const char *target,
				  const char *label)
{
	ProgressFrame *f;

	if (nframes == maxframes)
	{
		int			n = Max(4, maxframes * 2);

		frames = frames == NULL
			? MemoryContextAlloc(TopMemoryContext, sizeof(ProgressFrame) * n)
			: repalloc(frames, sizeof(ProgressFrame) * n);
		maxframes = n;
	}
	f = &frames[nframes];
	f->kind = kind;
	f->subid = GetCurrentSubTransactionId();
	f->started = GetCurrentTimestamp();
	f->rows = 0;
	f->bytes = 0;
	copy_text(f->store, sizeof(f->store), store);
	copy_text(f->target, sizeof(f->target), target);
	copy_text(f->label, sizeof(f->label), label);
	nframes++;
	if (my_slot == NULL)
		my_slot = slot_of_backend();
	publish_frame();
}

void
ds_progress_set_label(const char *label)
{
	if (nframes == 0)
		return;
	copy_text(frames[nframes - 1].label, DS_PROGRESS_LABEL_LEN, label);
	publish_frame();
}

void
ds_progress_end(void)
{
	if (nframes == 0)
		return;
	nframes--;
	publish_frame();
}

static void
notice(const ProgressFrame *f)
{
	/* Each kind is named for its function: ds_<kind>. */
	if (f->target[0] != '\0')
		ereport(NOTICE,
				(errmsg("datastore: " INT64_FORMAT " rows, " INT64_FORMAT " bytes so far (ds_%s into \"%s\" on \"%s\")",
						f->rows, f->bytes, kind_names[f->kind], f->target, f->store)));
	else
		ereport(NOTICE,
				(errmsg("datastore: " INT64_FORMAT " rows, " INT64_FORMAT " bytes so far (ds_%s on \"%s\")",
						f->rows, f->bytes, kind_names[f->kind], f->store)));
}

void
ds_progress_add(int64 rows, int64 bytes)
{
	ProgressFrame *f;

	if (nframes == 0)
		return;
	f = &frames[nframes - 1];
	f->rows += rows;
	f->bytes += bytes;
	if (my_slot != NULL)
	{
		BEGIN_SLOT_WRITE(my_slot);
		my_slot->rows = f->rows;
		my_slot->bytes = f->bytes;
		END_SLOT_WRITE(my_slot);
	}
	if (ds_progress_notice_rows > 0 && rows > 0 &&
		f->rows / ds_progress_notice_rows != (f->rows - rows) / ds_progress_notice_rows)
		notice(f);
}

/*
 * An ERROR unwinds past the ds_progress_end() calls: end here every call
 * begun in the aborted subtransaction (subtransaction ids only grow within
 * a transaction), and every call at the end of a transaction.
 */
static void
progress_xact_callback(XactEvent event, void *arg)
{
	if (nframes > 0)
	{
		nframes = 0;
		publish_frame();
	}
}

static void
progress_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
						  SubTransactionId parentSubid, void *arg)
{
	int			n = nframes;

	if (event != SUBXACT_EVENT_ABORT_SUB)
		return;
	while (n > 0 && frames[n - 1].subid >= mySubid)
		n--;
	if (n != nframes)
	{
		nframes = n;
		publish_frame();
	}
}

/* ---- ds_progress() ---- */

PG_FUNCTION_INFO_V1(ds_progress);

/* A consistent copy of a slot: retried while its owner writes. */
static void
read_slot(volatile ProgressSlot *s, ProgressSlot *copy)
{
	for (;;)
	{
		int			before = s->changecount;
		int			after;

		pg_read_barrier();
		memcpy(copy, (ProgressSlot *) s, sizeof(ProgressSlot));
		pg_read_barrier();
		after = s->changecount;
		if (before == after && (before & 1) == 0)
			return;
		CHECK_FOR_INTERRUPTS();
	}
}

static Datum
text_or_null(const char *s, bool *isnull)
{
	*isnull = (s[0] == '\0');
	return *isnull ? (Datum) 0 : CStringGetTextDatum(s);
}

/*
 * Like pg_stat_activity: every backend's pid, database and role, and what
 * it does only for calls of roles whose privileges the caller has, or for
 * members of pg_read_all_stats.
 */
Datum
ds_progress(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	bool		read_all;

	if (shared == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("ds_progress() needs datastore to be loaded at server start"),
				 errdetail("The progress of datastore calls is kept in shared memory, which only a preloaded library can set up."),
				 errhint("Add datastore to shared_preload_libraries and restart the server.")));

	InitMaterializedSRF(fcinfo, 0);
	read_all = has_privs_of_role(GetUserId(), ROLE_PG_READ_ALL_STATS);
	for (int i = 0; i < shared->nslots; i++)
	{
		ProgressSlot s;
		Datum		values[12];
		bool		nulls[12] = {0};
		char	   *datname;
		char	   *usename;

		if (shared->slots[i].pid == 0)
			continue;
		read_slot(&shared->slots[i], &s);
		if (s.pid == 0 || (int) s.kind < 0 || s.kind > DS_PROGRESS_SYNC)
			continue;
		s.store[NAMEDATALEN - 1] = '\0';
		s.target[DS_PROGRESS_TARGET_LEN - 1] = '\0';
		s.label[DS_PROGRESS_LABEL_LEN - 1] = '\0';

		values[0] = Int32GetDatum(s.pid);
		values[1] = ObjectIdGetDatum(s.dbid);
		datname = get_database_name(s.dbid);
		nulls[2] = (datname == NULL);
		if (datname)
			values[2] = DirectFunctionCall1(namein, CStringGetDatum(datname));
		values[3] = ObjectIdGetDatum(s.userid);
		usename = GetUserNameFromId(s.userid, true);
		nulls[4] = (usename == NULL);
		if (usename)
			values[4] = DirectFunctionCall1(namein, CStringGetDatum(usename));
		if (read_all || has_privs_of_role(GetUserId(), s.userid))
		{
			values[5] = CStringGetTextDatum(kind_names[s.kind]);
			values[6] = CStringGetTextDatum(s.store);
			values[7] = text_or_null(s.target, &nulls[7]);
			values[8] = text_or_null(s.label, &nulls[8]);
			values[9] = Int64GetDatum(s.rows);
			values[10] = Int64GetDatum(s.bytes);
			values[11] = TimestampTzGetDatum(s.started);
		}
		else
		{
			for (int c = 5; c < 12; c++)
				nulls[c] = true;
		}
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

void
ds_progress_define_settings(void)
{
	DefineCustomIntVariable("datastore.progress_notice_rows",
							"Rows between NOTICEs with the running totals of a datastore call.",
							"0 turns the NOTICEs off.",
							&ds_progress_notice_rows, 0, 0, INT_MAX,
							PGC_USERSET, 0, NULL, NULL, NULL);
}
