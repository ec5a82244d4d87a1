#!/usr/bin/env bash
# Exactness on data nobody on the project wrote: every table and view of a
# PostgreSQL server's catalogs (pg_catalog, information_schema) and of a
# MariaDB server's (mysql, information_schema, performance_schema, sys).
#  - read: ds_query of each row equals the server's own rendering of it,
#    in the same statement (to_jsonb() on PostgreSQL; CAST AS CHAR, HEX,
#    BIT as a number on MariaDB, normalised only as the type table of docs/stores.md
#    says);
#  - sync: each base table goes through ds_sync between every pair of store
#    kinds that holds its types (remote PostgreSQL -> local -> remote
#    PostgreSQL; MariaDB -> MariaDB, -> StarRocks, -> local PostgreSQL) and
#    lands every value exactly (EXCEPT ALL both ways).
# Relations that cannot be read, and columns that are not compared, are
# listed with the reason.  Any difference fails the test.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$DS_ENV"
db=ds_t_corpus
ds_test_db "$db"
pw="corpus-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
ds_pg2 -q -c "DROP ROLE IF EXISTS ds_corpus" -c "CREATE ROLE ds_corpus LOGIN SUPERUSER PASSWORD '$pw'" \
	-c "ALTER ROLE ds_corpus SET TimeZone = 'UTC'" -c "DROP SCHEMA IF EXISTS corpus_back CASCADE" \
	-c "CREATE SCHEMA corpus_back" >/dev/null
ds_mariadb -e "DROP DATABASE IF EXISTS corpus_copy; CREATE DATABASE corpus_copy CHARACTER SET utf8mb4;
	DROP DATABASE IF EXISTS corpus_src; CREATE DATABASE corpus_src CHARACTER SET utf8mb4"
out="$DS_TMP/corpus.report"

psql -X -q -d "$db" -v ON_ERROR_STOP=1 >/dev/null <<-SQL
	SET client_min_messages = warning;
	ALTER DATABASE $db SET TimeZone = 'UTC';
	SELECT ds_register('corpus_pg', 'postgres', host => '$DS_PG2_HOST', port => $DS_PG2_PORT,
	                   "user" => 'ds_corpus', password => '$pw', database => '$DS_PG2_DATABASE');
	SELECT ds_register('corpus_sr', 'starrocks', host => '127.0.0.1', port => $DS_SR_MYSQL_PORT,
	                   "user" => '$DS_MYSQL_USER', password => '$DS_MYSQL_PASSWORD',
	                   database => '$DS_SR_DATABASE', http_port => $DS_SR_FE_PORT);
	CREATE SCHEMA corpus;
	CREATE TABLE report (part text, rel text, nrows bigint, ndiff bigint, note text);
	\i $DS_ROOT/test/corpus/compare.sql
SQL

psql -X -q -d "$db" -v ON_ERROR_STOP=1 <<-'SQL'
	SET client_min_messages = warning;
	-- PostgreSQL, read: every relation of the remote catalogs.
	DO $$
	DECLARE
		rel record;
		d record;
	BEGIN
		FOR rel IN SELECT r->>'rel' AS rel, r->'skip' AS skip
					 FROM ds_query('corpus_pg', $q$
						SELECT format('%I.%I', n.nspname, c.relname) AS rel,
							   coalesce((SELECT jsonb_agg(a.attname) FROM pg_attribute a
										  WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
											AND a.atttypid = 'anyarray'::regtype), '[]') AS skip
						  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
						 WHERE n.nspname IN ('pg_catalog', 'information_schema') AND c.relkind IN ('r', 'v', 'm')
						 ORDER BY 1$q$) r LOOP
			BEGIN
				SELECT * INTO d FROM pg_read_diff('corpus_pg', rel.rel,
					ARRAY(SELECT jsonb_array_elements_text(rel.skip)));
				INSERT INTO report VALUES ('pg read', rel.rel, d.nrows, d.ndiff,
					concat_ws('; ', d.example,
						CASE WHEN jsonb_array_length(rel.skip) > 0
							 THEN 'not compared: ' || (SELECT string_agg(x, ', ') FROM jsonb_array_elements_text(rel.skip) x)
								  || ' (anyarray: the element type is not sent)' END));
			EXCEPTION WHEN OTHERS THEN
				INSERT INTO report VALUES ('pg read', rel.rel, NULL, NULL, 'skipped: ' || SQLERRM);
			END;
		END LOOP;
	END $$;

	-- PostgreSQL, sync: each catalog table to a local table of the same
	-- types, and from there to a remote one; types whose input function
	-- refuses values (pg_node_tree, the statistics types), anyarray, and the
	-- reg* types (whose names would be resolved on the other server) travel
	-- as text.
	DO $$
	DECLARE
		rel record;
		n bigint;
		back bigint;
		orig bigint;
	BEGIN
		FOR rel IN SELECT r->>'name' AS name, r->>'cols' AS cols, r->>'sel' AS sel
					 FROM ds_query('corpus_pg', $q$
						WITH col AS (
							SELECT c.relname, a.attnum, a.attname,
								   format_type(a.atttypid, a.atttypmod) AS type,
								   t.typname IN ('pg_node_tree', 'anyarray', 'pg_ndistinct', 'pg_dependencies',
												 'pg_mcv_list', '_pg_statistic') OR t.typname LIKE 'reg%' AS as_text
							  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
							  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
							  JOIN pg_type t ON t.oid = a.atttypid
							 WHERE n.nspname = 'pg_catalog' AND c.relkind = 'r')
						SELECT relname AS name,
							   string_agg(format('%I %s', attname, CASE WHEN as_text THEN 'text' ELSE type END),
										  ', ' ORDER BY attnum) AS cols,
							   string_agg(CASE WHEN as_text THEN format('%I::text AS %I', attname, attname)
											   ELSE format('%I', attname) END, ', ' ORDER BY attnum) AS sel
						  FROM col GROUP BY relname ORDER BY 1$q$) r LOOP
			BEGIN
				EXECUTE format('CREATE TABLE corpus.%I (%s)', rel.name, rel.cols);
				PERFORM ds_exec('corpus_pg', format('CREATE TABLE corpus_back.%I (%s)', rel.name, rel.cols));
				PERFORM ds_sync('corpus_pg', format('SELECT %s FROM pg_catalog.%I', rel.sel, rel.name),
								'local', format('corpus.%I', rel.name));
				PERFORM ds_sync('local', format('SELECT * FROM corpus.%I', rel.name),
								'corpus_pg', format('corpus_back.%I', rel.name));
				EXECUTE format('SELECT count(*) FROM corpus.%I', rel.name) INTO n;
				-- What came back equals what went out, value by value.
				back := multiset_diff(format('SELECT to_jsonb(t) FROM corpus.%I t', rel.name),
					format($f$SELECT (r->>'j')::jsonb FROM ds_query('corpus_pg', 'SELECT to_jsonb(t)::text AS j FROM corpus_back.%I t') r$f$, rel.name));
				-- And the copy equals the catalog, where it holds still.
				orig := CASE WHEN rel.name IN ('pg_class', 'pg_statistic', 'pg_database', 'pg_type', 'pg_attribute',
											   'pg_depend', 'pg_shdepend', 'pg_namespace', 'pg_index', 'pg_constraint',
											   'pg_rewrite', 'pg_attrdef', 'pg_description', 'pg_authid', 'pg_auth_members',
											   'pg_init_privs')
							 THEN NULL
							 ELSE multiset_diff(format('SELECT to_jsonb(t) FROM corpus.%I t', rel.name),
									format($f$SELECT (r->>'j')::jsonb FROM ds_query('corpus_pg', 'SELECT to_jsonb(t)::text AS j FROM (SELECT %s FROM pg_catalog.%I) t') r$f$,
										   replace(rel.sel, '''', ''''''), rel.name)) END;
				INSERT INTO report VALUES ('pg sync', rel.name, n, back + coalesce(orig, 0),
					CASE WHEN orig IS NULL THEN 'copy compared with what came back only: this catalog changes while the test runs' END);
			EXCEPTION WHEN OTHERS THEN
				INSERT INTO report VALUES ('pg sync', rel.name, NULL, NULL, 'skipped: ' || SQLERRM);
			END;
		END LOOP;
	END $$;
SQL

psql -X -q -d "$db" -v ON_ERROR_STOP=1 -v srdb="$DS_SR_DATABASE" <<-'SQL'
	SET client_min_messages = warning;
	-- MariaDB, read: every relation of its system schemas.
	DO $$
	DECLARE
		rel record;
		d record;
	BEGIN
		FOR rel IN SELECT r->>'s' AS s, r->>'t' AS t
					 FROM ds_query('my', $q$SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t FROM information_schema.TABLES
											WHERE TABLE_SCHEMA IN ('mysql', 'information_schema', 'performance_schema', 'sys')
											ORDER BY 1, 2$q$) r LOOP
			BEGIN
				SELECT * INTO d FROM my_read_diff('my', rel.s, rel.t);
				INSERT INTO report VALUES ('mysql read', rel.s || '.' || rel.t, d.nrows, d.ndiff, d.example);
			EXCEPTION WHEN OTHERS THEN
				INSERT INTO report VALUES ('mysql read', rel.s || '.' || rel.t, NULL, NULL, 'skipped: ' || SQLERRM);
			END;
		END LOOP;
	END $$;
SQL

# MariaDB, sync: the base tables of the mysql schema into MariaDB, into
# StarRocks (the emulator, which stores in MariaDB), and into local
# PostgreSQL tables of the mapped types; compared with EXCEPT ALL.
# The source is a snapshot of each table, taken by MariaDB itself before any
# sync: InnoDB rewrites its persistent statistics (innodb_index_stats,
# innodb_table_stats) as the copies fill, so the live tables move while they
# are compared.
tables=$(ds_mariadb -N -e "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'mysql' AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1")
for t in $tables; do
	ds_mariadb -e "CREATE TABLE corpus_src.\`$t\` LIKE mysql.\`$t\`; INSERT INTO corpus_src.\`$t\` SELECT * FROM mysql.\`$t\`" 2>/dev/null || true
done
for t in $tables; do
	ds_mariadb -e "CREATE TABLE corpus_copy.\`$t\` LIKE mysql.\`$t\`; DROP TABLE IF EXISTS $DS_SR_DATABASE.\`corpus_$t\`;
		CREATE TABLE $DS_SR_DATABASE.\`corpus_$t\` LIKE mysql.\`$t\`" 2>/dev/null || true
done
psql -X -q -d "$db" -v ON_ERROR_STOP=1 -v tables="$tables" -v srdb="$DS_SR_DATABASE" <<-'SQL'
	SET client_min_messages = warning;
	CREATE TEMP TABLE my_tables AS SELECT unnest(string_to_array(:'tables', E'\n')) AS t;
	CREATE TEMP TABLE my_srdb AS SELECT :'srdb'::text AS db;
	-- MySQL types as PostgreSQL types that hold every value exactly.
	CREATE FUNCTION pg_type_for(t text, coltype text) RETURNS text LANGUAGE sql AS $$
		SELECT CASE
			WHEN t IN ('tinyint', 'smallint', 'mediumint', 'int', 'bigint', 'decimal', 'year') THEN 'numeric'
			WHEN t = 'float' THEN 'real'
			WHEN t = 'double' THEN 'double precision'
			WHEN t = 'bit' THEN 'numeric'
			WHEN t = 'date' THEN 'date'
			WHEN t = 'datetime' THEN 'timestamp'
			WHEN t = 'timestamp' THEN 'timestamptz'
			WHEN t = 'json' OR coltype = 'json' THEN 'jsonb'
			WHEN t IN ('binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob') THEN 'bytea'
			ELSE 'text' END
	$$;
	DO $$
	DECLARE
		rel record;
		cols text;
		sel text;
		srdb text := (SELECT db FROM my_srdb);
		n bigint;
		d_my bigint;
		d_sr bigint;
		d_pg bigint;
	BEGIN
		FOR rel IN SELECT t FROM my_tables WHERE t <> '' LOOP
			BEGIN
				SELECT string_agg(format('%I %s', x->>'c', pg_type_for(lower(x->>'t'), lower(x->>'ct'))), ', '),
					   string_agg(CASE WHEN lower(x->>'t') = 'bit' THEN format('CAST(`%s` AS UNSIGNED) AS `%s`', x->>'c', x->>'c')
									   ELSE format('`%s`', x->>'c') END, ', ')
				  INTO cols, sel
				  FROM ds_query('my', 'SELECT c.COLUMN_NAME AS c, c.DATA_TYPE AS t,
									   CASE WHEN EXISTS (SELECT 1 FROM information_schema.CHECK_CONSTRAINTS k
														  WHERE k.CONSTRAINT_SCHEMA = c.TABLE_SCHEMA AND k.TABLE_NAME = c.TABLE_NAME
															AND k.CHECK_CLAUSE = CONCAT(''json_valid(`'', c.COLUMN_NAME, ''`)''))
											THEN ''json'' ELSE c.COLUMN_TYPE END AS ct
									   FROM information_schema.COLUMNS c
									   WHERE c.TABLE_SCHEMA = ''mysql'' AND c.TABLE_NAME = ? ORDER BY c.ORDINAL_POSITION',
								jsonb_build_array(rel.t)) x;
				PERFORM ds_sync('my', format('SELECT * FROM corpus_src.`%s`', rel.t), 'my', format('corpus_copy.%s', rel.t));
				PERFORM ds_sync('my', format('SELECT * FROM corpus_src.`%s`', rel.t), 'corpus_sr', format('%s.corpus_%s', srdb, rel.t));
				EXECUTE format('CREATE TABLE corpus.%I (%s)', 'my_' || rel.t, cols);
				PERFORM ds_sync('my', format('SELECT %s FROM corpus_src.`%s`', sel, rel.t), 'local', format('corpus.%I', 'my_' || rel.t));
				SELECT (r->>'n')::bigint INTO n FROM ds_query('my', format('SELECT COUNT(*) AS n FROM corpus_src.`%s`', rel.t)) r;
				SELECT (r->>'n')::bigint INTO d_my FROM ds_query('my', format(
					'SELECT COUNT(*) AS n FROM ((SELECT * FROM corpus_src.`%1$s` EXCEPT ALL SELECT * FROM corpus_copy.`%1$s`)
												UNION ALL (SELECT * FROM corpus_copy.`%1$s` EXCEPT ALL SELECT * FROM corpus_src.`%1$s`)) d', rel.t)) r;
				SELECT (r->>'n')::bigint INTO d_sr FROM ds_query('my', format(
					'SELECT COUNT(*) AS n FROM ((SELECT * FROM corpus_src.`%1$s` EXCEPT ALL SELECT * FROM %2$s.`corpus_%1$s`)
												UNION ALL (SELECT * FROM %2$s.`corpus_%1$s` EXCEPT ALL SELECT * FROM corpus_src.`%1$s`)) d', rel.t, srdb)) r;
				-- The PostgreSQL copy, read back, equals ds_query of the MySQL rows.
				d_pg := multiset_diff(format('SELECT to_jsonb(t) FROM corpus.%I t', 'my_' || rel.t),
					format($f$SELECT r FROM ds_query('my', 'SELECT %s FROM corpus_src.`%s`') r$f$, replace(sel, '''', ''''''), rel.t));
				INSERT INTO report VALUES ('mysql sync', 'mysql.' || rel.t, n, d_my + d_sr + d_pg,
					CASE WHEN d_my + d_sr + d_pg > 0 THEN format('to MariaDB %s, to StarRocks %s, to PostgreSQL %s', d_my, d_sr, d_pg) END);
			EXCEPTION WHEN OTHERS THEN
				INSERT INTO report VALUES ('mysql sync', 'mysql.' || rel.t, NULL, NULL, 'skipped: ' || SQLERRM);
			END;
		END LOOP;
	END $$;
SQL

# The comparisons can fail: a value changed in a copy, and anyarray columns
# compared after all (their elements become one string), are found.
controls=$(psql -X -At -d "$db" -v ON_ERROR_STOP=1 <<-'SQL'
	SET client_min_messages = warning;
	SELECT ds_exec('corpus_pg', 'ANALYZE corpus_back.pg_proc');
	UPDATE corpus.pg_operator SET oprcode = oprcode || 'x' WHERE oid = (SELECT min(oid) FROM corpus.pg_operator);
	SELECT multiset_diff('SELECT to_jsonb(t) FROM corpus.pg_operator t',
		$f$SELECT (r->>'j')::jsonb FROM ds_query('corpus_pg', 'SELECT to_jsonb(t)::text AS j FROM corpus_back.pg_operator t') r$f$) > 0
	   AND (SELECT ndiff > 0 FROM pg_read_diff('corpus_pg', 'pg_catalog.pg_stats', '{}'))
	   AND ds_exec('my', 'UPDATE corpus_copy.help_topic SET name = CONCAT(name, ''x'') ORDER BY help_topic_id LIMIT 1') = 1
	   AND (SELECT (r->>'n')::int > 0 FROM ds_query('my',
			'SELECT COUNT(*) AS n FROM (SELECT * FROM mysql.help_topic EXCEPT ALL SELECT * FROM corpus_copy.help_topic) d') r);
SQL
)
[ "$(echo "$controls" | tail -1)" = t ] || { echo "FAIL: the comparisons cannot tell a difference ($controls)"; exit 1; }
psql -X -At -d "$db" -F ' | ' -c "SELECT part, rel, nrows, ndiff, note FROM report ORDER BY part, rel" >"$out"
psql -X -At -d "$db" -F ' | ' -c "SELECT part, count(*), sum(nrows), sum(ndiff), count(*) FILTER (WHERE ndiff IS NULL) FROM report GROUP BY 1 ORDER BY 1" |
	sed 's/^/part | relations | rows | differing | skipped: /'

grep -v '| 0 | *$' "$out" | grep -v '| 0 | not compared' | grep -v '| 0 | copy compared' || true
summary=$(psql -X -At -d "$db" -F ' ' -c "SELECT count(*) FILTER (WHERE ndiff IS NOT NULL), coalesce(sum(nrows), 0), coalesce(sum(ndiff), 0), count(*) FILTER (WHERE ndiff IS NULL), count(DISTINCT rel) FILTER (WHERE part LIKE '%read' AND ndiff IS NOT NULL) FROM report")
read -r compared rows diffs skipped relations <<<"$summary"
echo "corpus: $compared comparisons over $relations relations, $rows rows, $diffs differing, $skipped skipped (reasons above)"
ds_pg2 -q -c "DROP SCHEMA corpus_back CASCADE" >/dev/null 2>&1 || true
ds_mariadb -e "DROP DATABASE corpus_copy; DROP DATABASE corpus_src" || true
for t in $tables; do ds_mariadb -e "DROP TABLE IF EXISTS $DS_SR_DATABASE.\`corpus_$t\`" || true; done
psql -X -q -d postgres -c "DROP DATABASE $db" 2>/dev/null || true
ds_pg2 -q -c "DROP ROLE ds_corpus" >/dev/null 2>&1 || true
[ "$diffs" = 0 ] || { echo "FAIL: values that differ"; exit 1; }
[ "$relations" -ge 300 ] || { echo "FAIL: only $relations relations read"; exit 1; }
echo "reliability: rows $rows $rows"
