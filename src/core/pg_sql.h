/*
 * pg_sql.h
 *		Statements about PostgreSQL's own catalogs, the same for the local
 *		store and a remote one: every function and operator named with its
 *		schema, so that they mean the same whatever the search_path holds.
 */
#ifndef DS_PG_SQL_H
#define DS_PG_SQL_H

#define DS_PG_TABLES_SQL \
	"SELECT table_name, table_type FROM information_schema.tables" \
	" WHERE table_schema OPERATOR(pg_catalog.=) pg_catalog.current_schema()" \
	" ORDER BY table_name"

#define DS_PG_COLUMNS_SQL \
	"SELECT column_name, data_type," \
	" is_nullable OPERATOR(pg_catalog.=) 'YES' AS is_nullable," \
	" ordinal_position AS ordinal" \
	" FROM information_schema.columns" \
	" WHERE table_schema OPERATOR(pg_catalog.=) COALESCE($1, pg_catalog.current_schema())" \
	" AND table_name OPERATOR(pg_catalog.=) $2" \
	" ORDER BY ordinal_position"

/*
 * The primary key's columns of the table $1 (its name as SQL, resolved by
 * the store's search_path as its loads resolve it), in the key's order.
 */
#define DS_PG_PRIMARY_KEY_SQL \
	"SELECT a.attname FROM pg_catalog.pg_index i" \
	" JOIN pg_catalog.pg_attribute a ON a.attrelid OPERATOR(pg_catalog.=) i.indrelid" \
	" AND a.attnum OPERATOR(pg_catalog.=) ANY (i.indkey::pg_catalog.int2[])" \
	" WHERE i.indrelid OPERATOR(pg_catalog.=) pg_catalog.to_regclass($1::pg_catalog.text)" \
	" AND i.indisprimary" \
	" ORDER BY pg_catalog.array_position(i.indkey::pg_catalog.int2[], a.attnum)"

#endif							/* DS_PG_SQL_H */
