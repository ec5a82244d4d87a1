-- Loaded first by pg_regress: the extension and the local store.
CREATE EXTENSION datastore;
SELECT extname, extversion, extrelocatable FROM pg_extension WHERE extname = 'datastore';
-- The catalog lives in its own schema; the functions in the extension's.
SELECT count(*) AS ds_functions FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'public' AND p.proname LIKE 'ds\_%';
SELECT ds_register('local', 'postgres');

-- Reports an error's SQLSTATE and message instead of raising it.
CREATE FUNCTION public.sqlstate_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END
$$;

-- Waits (up to 10 s) until a boolean query is true: for effects another
-- server shows a little later (a killed connection gone from its list).
CREATE FUNCTION public.wait_until(q text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
	ok boolean;
BEGIN
	FOR i IN 1..200 LOOP
		EXECUTE q INTO ok;
		IF ok THEN
			RETURN true;
		END IF;
		PERFORM pg_sleep(0.05);
	END LOOP;
	RETURN false;
END
$$;
