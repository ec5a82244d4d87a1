-- TLS to MySQL: options->'ssl', against the test MariaDB's self-made CA.
-- The user ds_tls is created REQUIRE SSL.
\set SHOW_CONTEXT never
\getenv my_port DS_MYSQL_PORT
\getenv my_password DS_MYSQL_PASSWORD
\getenv my_db DS_MYSQL_DATABASE
\getenv tls DS_TLS_DIR
CREATE TABLE tls_conf AS SELECT :my_port AS port, :'my_password'::text AS pw, :'my_db'::text AS db;
CREATE FUNCTION register_tls(name text, ssl jsonb) RETURNS void LANGUAGE sql AS $$
	SELECT ds_register(name, 'mysql', host => '127.0.0.1', port => c.port, "user" => 'ds_tls',
	                   password => c.pw, database => c.db,
	                   options => CASE WHEN ssl IS NULL THEN '{}' ELSE jsonb_build_object('ssl', ssl) END)
	  FROM tls_conf c
$$;
-- prefer, the default: TLS when the server offers it (certificate not
-- checked: this one is signed by a CA nobody named), so this user, whom
-- the server refuses in the clear, gets in; a server that offers no TLS is
-- talked to in the clear (test hostile_mysql).
SELECT register_tls('tls_none', NULL);
SELECT r->>'Variable_name' AS variable, r->>'Value' <> '' AS encrypted
  FROM ds_query('tls_none', $$SHOW SESSION STATUS LIKE 'Ssl_cipher'$$) r;
SELECT register_tls('tls_off', '{"mode": "disable"}');
SELECT sqlstate_of($$SELECT * FROM ds_query('tls_off', 'SELECT 1')$$) ~ 'Access denied' AS refused_when_disabled;
-- require: encrypted, certificate not checked.
SELECT register_tls('tls_require', '{"mode": "require"}');
SELECT r->>'Variable_name' AS variable, r->>'Value' <> '' AS encrypted
  FROM ds_query('tls_require', $$SHOW SESSION STATUS LIKE 'Ssl_cipher'$$) r;
-- verify-full with the right CA.
SELECT register_tls('tls_verify', jsonb_build_object('mode', 'verify-full', 'ca', :'tls' || '/ca.pem'));
SELECT r->>'Value' <> '' AS encrypted FROM ds_query('tls_verify', $$SHOW SESSION STATUS LIKE 'Ssl_version'$$) r;
-- verify-ca with a CA that did not sign the server's certificate: refused.
SELECT register_tls('tls_wrong_ca', jsonb_build_object('mode', 'verify-ca', 'ca', :'tls' || '/other-ca.pem'));
SELECT sqlstate_of($$SELECT * FROM ds_query('tls_wrong_ca', 'SELECT 1')$$) ~ '^08001' AS refused_wrong_ca;
-- Bad settings are clear errors.
SELECT register_tls('tls_bad', '{"mode": "sometimes"}');
SELECT * FROM ds_query('tls_bad', 'SELECT 1');
-- A verify mode without a ca trusts the system's roots, which know nothing
-- of the test CA: verified, and refused.
SELECT register_tls('tls_noca', '{"mode": "verify-full"}');
SELECT sqlstate_of($$SELECT * FROM ds_query('tls_noca', 'SELECT 1')$$) ~ '^08001: .*certificate' AS unverified_refused;
DROP TABLE tls_conf;
SELECT ds_unregister(n) FROM unnest(ARRAY['tls_none', 'tls_off', 'tls_require', 'tls_verify',
                                          'tls_wrong_ca', 'tls_bad', 'tls_noca']) n;
