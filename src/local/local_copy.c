/*
 * local_copy.c
 *		Rows from any source into a local table through COPY FROM.
 *
 * COPY's own machinery (BeginCopyFrom with a data source callback) does the
 * work: multi-insert batching, triggers, constraints and partition routing
 * come with it, and the rows arrive as COPY text encoded from the source
 * a few at a time, so memory stays bounded whatever the row count.  What
 * DoCopy() checks before it gets there is checked here too.
 */
#include "postgres.h"

#include "access/sysattr.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/copy.h"
#include "executor/executor.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "parser/parse_relation.h"
#include "portability/instr_time.h"
#include "tcop/utility.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/regproc.h"
#include "utils/rel.h"
#include "utils/rls.h"

#include "core/compat.h"
#include "core/load_encode.h"
#include "core/pg_column_text.h"
#include "local/local.h"
#include "core/progress.h"

#define COPY_CHUNK (64 * 1024)

/*
 * The callback has no argument: the load under way is kept here.  A load
 * cannot start while another runs in this backend (a trigger calling
 * ds_sync would need it), so that case is refused.
 */
typedef struct CopyFeed
{
	DsRowSource *src;
	DsPgColumns *columns;		/* columns that read other kinds' forms, or NULL */
	StringInfoData buf;
	int			pos;
	bool		done;
	int64		bytes;
} CopyFeed;

static CopyFeed *feed;

static int
copy_data(void *outbuf, int minread, int maxread)
{
	int			given = 0;

	while (given < maxread)
	{
		int			n;

		if (feed->pos == feed->buf.len)
		{
			if (feed->done)
				break;
			resetStringInfo(&feed->buf);
			feed->pos = 0;
			while (feed->buf.len < COPY_CHUNK)
			{
				if (!feed->src->next(feed->src))
				{
					feed->done = true;
					break;
				}
				if (feed->columns)
					ds_pg_columns_rewrite(feed->columns, &feed->src->row);
				ds_encode_pg_copy_row(&feed->buf, &feed->src->row);
			}
			feed->bytes += feed->buf.len;
			ds_progress_add(0, feed->buf.len);
			CHECK_FOR_INTERRUPTS();
			continue;
		}
		n = Min(maxread - given, feed->buf.len - feed->pos);
		memcpy((char *) outbuf + given, feed->buf.data + feed->pos, n);
		feed->pos += n;
		given += n;
	}
	return given;
}

Jsonb *
ds_local_load_rows(DsPool *pool, const char *target, DsRowSource *src,
				   const DsLoadOptions *opts)
{
	RangeVar   *rv = makeRangeVarFromNameList(ds_qualified_name_list(target));
	Relation	rel;
	ParseState *pstate;
	ParseNamespaceItem *nsitem;
	Bitmapset  *inserted = NULL;
	List	   *attnames = NIL;
	CopyFromState cstate;
	CopyFeed	state = {0};
	DsLoadResult result = {0};
	instr_time	start;
	instr_time	elapsed;

	if (opts != NULL && opts->mode != DS_MODE_APPEND)
		return ds_local_merge_rows(pool, target, src, opts);
	if (feed != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("a load into a local table is already under way in this session"),
				 errhint("ds_sync cannot be called from a trigger of its own target.")));
	INSTR_TIME_SET_CURRENT(start);

	rel = table_openrv(rv, RowExclusiveLock);
	if (!rel->rd_islocaltemp)
		PreventCommandIfReadOnly("ds_sync into a local table");
	pstate = make_parsestate(NULL);
	nsitem = addRangeTableEntryForRelation(pstate, rel, RowExclusiveLock, NULL, false, false);
	for (int i = 0; i < src->row.ncolumns; i++)
	{
		AttrNumber	attnum = get_attnum(RelationGetRelid(rel), src->row.columns[i]);

		if (attnum == InvalidAttrNumber)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("column \"%s\" of relation \"%s\" does not exist",
							src->row.columns[i], RelationGetRelationName(rel)),
					 errhint("Name the target columns with options->'columns', or alias them in the source query.")));
		inserted = bms_add_member(inserted, attnum - FirstLowInvalidHeapAttributeNumber);
		attnames = lappend(attnames, makeString(src->row.columns[i]));
		if (attnum > 0)
		{
			Form_pg_attribute att = TupleDescAttr(RelationGetDescr(rel), attnum - 1);
			int32		typmod = att->atttypmod;
			Oid			base = getBaseTypeAndTypmod(att->atttypid, &typmod);

			if (state.columns == NULL)
				state.columns = ds_pg_columns_new(src->row.ncolumns);
			if (type_is_array(base))
				state.columns->forms[i] = DS_PG_COLUMN_ARRAY;
			else if (base == BITOID || base == VARBITOID)
			{
				state.columns->forms[i] = DS_PG_COLUMN_BIT;
				state.columns->bits[i] = typmod;
			}
		}
	}
	/* INSERT on the columns loaded, as COPY FROM checks it. */
#if PG_VERSION_NUM >= 160000
	nsitem->p_perminfo->requiredPerms = ACL_INSERT;
	nsitem->p_perminfo->insertedCols = inserted;
	ExecCheckPermissions(pstate->p_rtable, list_make1(nsitem->p_perminfo), true);
#else
	nsitem->p_rte->requiredPerms = ACL_INSERT;
	nsitem->p_rte->insertedCols = inserted;
	ExecCheckRTPerms(pstate->p_rtable, true);
#endif
	if (check_enable_rls(RelationGetRelid(rel), InvalidOid, false) == RLS_ENABLED)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("ds_sync into \"%s\" is not supported: it has row-level security",
						RelationGetRelationName(rel)),
				 errhint("Load into a table without row-level security, then INSERT ... SELECT.")));

	if (state.columns && !ds_pg_columns_any(state.columns))
		state.columns = NULL;
	/* COPY text: bytea as its \x form, timestamptz with its offset. */
	src->pg_text = true;
	state.src = src;
	initStringInfo(&state.buf);
	feed = &state;
	PG_TRY();
	{
		cstate = BeginCopyFrom(pstate, rel, NULL, NULL, false, copy_data, attnames,
							   list_make1(makeDefElem("encoding",
													  (Node *) makeString("UTF8"), -1)));
		result.loaded = (int64) CopyFrom(cstate);
		EndCopyFrom(cstate);
	}
	PG_FINALLY();
	{
		feed = NULL;
	}
	PG_END_TRY();
	src->close(src);
	table_close(rel, NoLock);

	INSTR_TIME_SET_CURRENT(elapsed);
	INSTR_TIME_SUBTRACT(elapsed, start);
	result.status = "Success";
	result.total = result.loaded;
	result.bytes = state.bytes;
	result.time_ms = (int64) INSTR_TIME_GET_MILLISEC(elapsed);
	result.message = "OK";
	return ds_load_result_jsonb(&result);
}
