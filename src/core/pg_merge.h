/*
 * pg_merge.h
 *		A load by key into PostgreSQL, local or remote: the rows are copied
 *		into a temporary stage shaped like the target's columns, then one
 *		statement per step moves them (INSERT ... ON CONFLICT DO UPDATE,
 *		DELETE ... USING), in the load's transaction.
 */
#ifndef DS_PG_MERGE_H
#define DS_PG_MERGE_H

#include "nodes/pg_list.h"

#include "core/compat.h"

/* The stage: a temporary table, dropped after the merge (or at commit). */
#define DS_PG_STAGE_TABLE "pg_temp.datastore_stage"
#define DS_PG_DROP_STAGE_SQL "DROP TABLE " DS_PG_STAGE_TABLE

/*
 * The equality of each column of the stage's unique index, in key order:
 * its operator class's (a schema and an operator name), which is how the
 * target's unique index on the same types compares (citext's = on a citext
 * key, not text's).  For a server whose types this backend cannot look up.
 */
#define DS_PG_STAGE_KEY_EQ_SQL \
	"SELECT n.nspname, o.oprname FROM pg_catalog.pg_index i" \
	" CROSS JOIN LATERAL pg_catalog.generate_subscripts(i.indclass, 1) AS s(k)" \
	" JOIN pg_catalog.pg_opclass c ON c.oid OPERATOR(pg_catalog.=) i.indclass[s.k]" \
	" JOIN pg_catalog.pg_amop a ON a.amopfamily OPERATOR(pg_catalog.=) c.opcfamily" \
	"  AND a.amoplefttype OPERATOR(pg_catalog.=) c.opcintype" \
	"  AND a.amoprighttype OPERATOR(pg_catalog.=) c.opcintype" \
	"  AND a.amopstrategy OPERATOR(pg_catalog.=) 3" \
	" JOIN pg_catalog.pg_operator o ON o.oid OPERATOR(pg_catalog.=) a.amopopr" \
	" JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) o.oprnamespace" \
	" WHERE i.indrelid OPERATOR(pg_catalog.=) '" DS_PG_STAGE_TABLE "'::pg_catalog.regclass" \
	" ORDER BY s.k"

typedef struct DsPgMerge
{
	const char *target;			/* as SQL: quoted, maybe qualified */
	int			ncolumns;		/* the columns loaded */
	char	  **columns;		/* their names, unquoted */
	List	   *key;			/* names, unquoted, all among columns */
	int			mode;			/* DsLoadMode, not append */
	/* per key column, its type's equality as "OPERATOR(schema.op)"; NULL: pg_catalog's = */
	char	  **key_eq;
} DsPgMerge;

/*
 * CREATE TEMP TABLE stage with the target's types of the columns loaded
 * (an ERROR naming the target when it does not exist), and once the key is
 * known, the ALTER TABLE that makes the key's columns NOT NULL there: a
 * NULL key matches nothing, so an upsert would add its row on every run.
 */
extern char *ds_pg_stage_sql(const DsPgMerge *m);
extern char *ds_pg_stage_key_sql(const DsPgMerge *m);

/*
 * Run once the rows are in the stage: a unique index on the key, so that a
 * key twice among the rows is an ERROR (under ds_pg_stage_ready_context,
 * an error context callback whose arg is the DsPgMerge), and statistics.
 */
extern char *ds_pg_stage_ready_sql(const DsPgMerge *m);
extern void ds_pg_stage_ready_context(void *arg);

/*
 * The statements that move the stage into the target, in order; each
 * returns one row of three int8: the rows it inserted, updated and
 * deleted.  An upsert updates only the rows that change, in a join, then
 * inserts the rows whose key the target lacks.
 */
extern List *ds_pg_merge_sql(const DsPgMerge *m);

#endif							/* DS_PG_MERGE_H */
