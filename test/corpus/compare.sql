-- The comparisons of test/t/corpus.sh, over data nobody on the project wrote:
-- the system catalogs of a PostgreSQL server and of a MariaDB server.

-- Keys on which two row objects differ, for the report.
CREATE FUNCTION differing_keys(a jsonb, b jsonb) RETURNS text LANGUAGE sql AS $$
	SELECT string_agg(k || ' ' || coalesce(a->k, 'null') || ' vs ' || coalesce(b->k, 'null'), '; ' ORDER BY k)
	  FROM (SELECT jsonb_object_keys(a) UNION SELECT jsonb_object_keys(b)) x(k)
	 WHERE a->k IS DISTINCT FROM b->k
$$;

-- Every row of a relation of a remote PostgreSQL, as ds_query makes it and as
-- the server's own to_jsonb() makes it, in one statement (so a catalog that
-- changes while it is read cannot differ between the two).  Columns of type
-- anyarray are left out of both: their element type is not sent (docs/stores.md).
CREATE FUNCTION pg_read_diff(store text, rel text, skip text[],
							 OUT nrows bigint, OUT ndiff bigint, OUT example text)
LANGUAGE plpgsql AS $$
DECLARE
	r jsonb;
	mine jsonb;
	theirs jsonb;
BEGIN
	nrows := 0;
	ndiff := 0;
	FOR r IN SELECT * FROM ds_query(store, format('SELECT to_jsonb(t)::text AS "__j", t.* FROM %s t', rel)) LOOP
		nrows := nrows + 1;
		theirs := (r->>'__j')::jsonb - skip;
		mine := r - '__j' - skip;
		IF mine IS DISTINCT FROM theirs THEN
			ndiff := ndiff + 1;
			example := coalesce(example, differing_keys(mine, theirs));
		END IF;
	END LOOP;
END $$;

-- Two multisets of rows: how many are in one and not the other.
CREATE FUNCTION multiset_diff(a text, b text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
	EXECUTE format('SELECT count(*) FROM ((%s EXCEPT ALL %s) UNION ALL (%s EXCEPT ALL %s)) d', a, b, b, a) INTO n;
	RETURN n;
END $$;

-- A MySQL relation read by ds_query, and the server's own rendering of each
-- value in the same statement (CAST AS CHAR, HEX for binary strings, BIT as
-- a number), compared by the rules of the MySQL type table in docs/stores.md.
CREATE FUNCTION my_read_diff(store text, db text, rel text,
							 OUT nrows bigint, OUT ndiff bigint, OUT example text)
LANGUAGE plpgsql AS $$
DECLARE
	cols record;
	sel text := '';
	kinds text[] := '{}';
	names text[] := '{}';
	r jsonb;
	v jsonb;
	s text;
	want jsonb;
	i int;
BEGIN
	nrows := 0;
	ndiff := 0;
	FOR cols IN SELECT x->>'c' AS c, lower(x->>'t') AS t, x->>'cs' AS cs
				  FROM ds_query(store, 'SELECT COLUMN_NAME AS c, DATA_TYPE AS t, CHARACTER_SET_NAME AS cs
										  FROM information_schema.COLUMNS
										 WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
								jsonb_build_array(db, rel)) x LOOP
		i := cardinality(names) + 1;
		names := names || cols.c;
		kinds := kinds || CASE
			WHEN cols.t IN ('tinyint', 'smallint', 'mediumint', 'int', 'bigint', 'year', 'decimal') THEN 'number'
			WHEN cols.t = 'float' THEN 'float4'
			WHEN cols.t = 'double' THEN 'float'
			WHEN cols.t = 'bit' THEN 'bit'
			WHEN cols.t = 'date' THEN 'date'
			WHEN cols.t = 'datetime' THEN 'datetime'
			WHEN cols.t = 'timestamp' THEN 'timestamp'
			WHEN cols.t = 'time' THEN 'time'
			WHEN cols.t IN ('binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob', 'geometry', 'point',
							'linestring', 'polygon', 'multipoint', 'multilinestring', 'multipolygon', 'geometrycollection')
				 OR cols.cs = 'binary' THEN 'binary'
			ELSE 'text' END;
		sel := sel || format('%s`%s` AS `v%s`, %s AS `r%s`', CASE WHEN i > 1 THEN ', ' ELSE '' END,
							 replace(cols.c, '`', '``'), i,
							 CASE kinds[i]
								 WHEN 'binary' THEN format('HEX(`%s`)', replace(cols.c, '`', '``'))
								 WHEN 'bit' THEN format('CAST(`%s` AS UNSIGNED)', replace(cols.c, '`', '``'))
								 -- CAST AS CHAR prints a FLOAT in 6 digits; as DOUBLE it is the float itself
								 WHEN 'float4' THEN format('CAST(`%s` AS DOUBLE)', replace(cols.c, '`', '``'))
								 ELSE format('CAST(`%s` AS CHAR)', replace(cols.c, '`', '``')) END, i);
	END LOOP;
	IF sel = '' THEN
		RETURN;
	END IF;
	FOR r IN SELECT * FROM ds_query(store, format('SELECT %s FROM `%s`.`%s`', sel, db, replace(rel, '`', '``'))) LOOP
		nrows := nrows + 1;
		FOR i IN 1 .. cardinality(names) LOOP
			v := r->('v' || i);
			s := r->>('r' || i);
			want := CASE
				WHEN s IS NULL THEN 'null'::jsonb
				WHEN kinds[i] IN ('number', 'bit') THEN to_jsonb(s::numeric)
				WHEN kinds[i] = 'float' THEN to_jsonb(s::float8)
				WHEN kinds[i] = 'float4' THEN to_jsonb(s::float8::float4)
				WHEN kinds[i] IN ('date', 'datetime', 'timestamp') AND s ~ '^(0000|\d{4}-00|\d{4}-\d\d-00)' THEN 'null'::jsonb
				WHEN kinds[i] = 'date' THEN to_jsonb(s)
				WHEN kinds[i] = 'datetime' THEN to_jsonb(s::timestamp)
				WHEN kinds[i] = 'timestamp' THEN to_jsonb((s || '+00')::timestamptz)
				WHEN kinds[i] = 'binary' THEN to_jsonb('\x' || lower(s))
				WHEN jsonb_typeof(v) IN ('object', 'array') THEN s::jsonb
				ELSE to_jsonb(s) END;
			-- Floats by value: the server prints the shortest form of its double.
			IF kinds[i] = 'float' AND jsonb_typeof(v) = 'number' AND s IS NOT NULL THEN
				CONTINUE WHEN (v #>> '{}')::float8 = s::float8;
			END IF;
			-- A FLOAT is the same float: the server's double of it, narrowed.
			IF kinds[i] = 'float4' AND jsonb_typeof(v) = 'number' AND s IS NOT NULL THEN
				CONTINUE WHEN (v #>> '{}')::float4 = s::float8::float4;
			END IF;
			IF v IS DISTINCT FROM want THEN
				ndiff := ndiff + 1;
				example := coalesce(example, format('%s (%s): %s vs the server''s %s', names[i], kinds[i], v, s));
				EXIT;
			END IF;
		END LOOP;
	END LOOP;
END $$;
