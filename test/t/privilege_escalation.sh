#!/usr/bin/env bash
# Every way found for a datastore_admin (or a role with a store grant) to act
# as a superuser, tried again: each attempt must be refused (42501) and,
# at the end, nothing may have changed: the superuser's stores as they were,
# no grant of them, the attacking roles no superusers.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$DS_ENV"
db=ds_t_escalation
ds_test_db "$db"
sock=$PGHOST
psql -X -q -d "$db" >/dev/null <<-SQL
	CREATE ROLE regress_esc_admin IN ROLE datastore_admin;
	CREATE ROLE regress_esc_user;
	-- A role whose name reads as an OID (10 is the bootstrap superuser's).
	CREATE ROLE "10" IN ROLE datastore_admin;
	CREATE ROLE regress_esc_former SUPERUSER IN ROLE datastore_admin;
	SET ROLE regress_esc_former;
	SELECT ds_register('former', 'postgres', host => '$sock', port => $PGPORT, "user" => 'postgres');
	SELECT ds_register('former_file', 'mysql', host => '127.0.0.1', port => $DS_MYSQL_PORT,
	                   "user" => '$DS_MYSQL_USER', options => '{"password_file": "/etc/hostname"}');
	SELECT ds_grant('former', 'regress_esc_admin');
	SELECT ds_grant('former_file', 'regress_esc_admin');
	RESET ROLE;
	ALTER ROLE regress_esc_former NOSUPERUSER;
	SELECT ds_register('admin_own', 'mysql', host => '127.0.0.1', port => $DS_MYSQL_PORT,
	                   "user" => '$DS_MYSQL_USER', password => '$DS_MYSQL_PASSWORD');
	-- A name an admin registered first and granted to everyone, which a
	-- superuser then registers for itself: the grants do not carry over.
	SET ROLE regress_esc_admin;
	SELECT ds_register('warehouse', 'mysql', host => '127.0.0.1', port => $DS_MYSQL_PORT,
	                   "user" => '$DS_MYSQL_USER', password => '$DS_MYSQL_PASSWORD');
	SELECT ds_grant('warehouse', 'public');
	RESET ROLE;
	SELECT ds_register('warehouse', 'postgres', host => '$sock', port => $PGPORT, "user" => 'postgres');
	CREATE TABLE before AS SELECT * FROM datastore.stores;
SQL
# ROLE|statement, one attempt a line.
attempts=$(cat <<-ATTEMPTS
	regress_esc_admin|SELECT ds_register('my', 'postgres', host => '$sock', port => $PGPORT, "user" => 'postgres', password => 'x')
	regress_esc_admin|UPDATE datastore.stores SET host = '$sock', type = 'postgres', port = $PGPORT, "user" = 'postgres' WHERE name = 'my'
	regress_esc_admin|UPDATE datastore.stores SET owner = 'regress_esc_admin' WHERE name = 'my'
	regress_esc_admin|DELETE FROM datastore.stores WHERE name = 'my'
	regress_esc_admin|SELECT ds_unregister('my')
	regress_esc_admin|SELECT ds_grant('my', 'regress_esc_admin')
	regress_esc_admin|INSERT INTO datastore.grants VALUES ('my', 'regress_esc_admin')
	regress_esc_admin|SELECT ds_register('esc1', 'postgres', host => '$sock', port => $PGPORT, "user" => 'postgres', password => 'x')
	regress_esc_admin|SELECT ds_register('esc2', 'postgres', host => '127.0.0.1,$sock', port => $PGPORT, "user" => 'postgres', password => 'x')
	regress_esc_admin|SELECT ds_register('esc3', 'postgres', port => $PGPORT, "user" => 'postgres', password => 'x')
	regress_esc_admin|SELECT ds_register('esc4', 'postgres', host => '@abstract', port => $PGPORT, "user" => 'postgres', password => 'x')
	regress_esc_admin|SELECT ds_register('esc5', 'postgres', host => '127.0.0.1', port => $PGPORT, "user" => 'postgres')
	regress_esc_admin|SELECT ds_register('esc6', 'mysql', host => 'localhost', "user" => 'root')
	regress_esc_admin|SELECT ds_register('esc7', 'mysql', host => '127.0.0.1', options => '{"password_file": "/etc/shadow"}')
	regress_esc_admin|SELECT ds_register('esc8', 'mysql', host => '127.0.0.1', password => 'x', options => '{"ssl": {"mode": "require", "key": "/etc/ssl/private/ssl-cert-snakeoil.key"}}')
	regress_esc_admin|SELECT ds_register('esc9', 'starrocks', host => '127.0.0.1', http_port => 8030, "user" => 'root')
	regress_esc_admin|UPDATE datastore.stores SET password = NULL, options = '{"password_file": "/etc/shadow"}' WHERE name = 'admin_own'
	regress_esc_admin|UPDATE datastore.stores SET options = '{"ssl": {"ca": "/etc/shadow"}}' WHERE name = 'admin_own'
	regress_esc_admin|UPDATE datastore.stores SET password = NULL WHERE name = 'admin_own'
	regress_esc_admin|INSERT INTO datastore.stores (name, type, port, "user", max_connections, min_connections, owner) VALUES ('esc10', 'postgres', $PGPORT, 'postgres', 1, 0, 'postgres')
	regress_esc_admin|SELECT ds_exec('former', 'ALTER ROLE regress_esc_admin SUPERUSER')
	regress_esc_admin|SELECT count(*) FROM ds_query('former_file', 'SELECT 1')
	regress_esc_user|SELECT ds_grant('admin_own', 'regress_esc_user')
	regress_esc_user|UPDATE datastore.stores SET host = '203.0.113.1'
	regress_esc_user|SELECT count(*) FROM ds_query('my', 'SELECT 1')
	regress_esc_user|SELECT ds_exec('warehouse', 'ALTER ROLE regress_esc_user SUPERUSER')
	regress_esc_admin|SELECT ds_exec('warehouse', 'ALTER ROLE regress_esc_admin SUPERUSER')
	regress_esc_admin|SELECT password FROM datastore.stores WHERE name = 'my'
	regress_esc_admin|SELECT * FROM datastore.stores
	"10"|SELECT ds_register('esc11', 'postgres', host => '$sock', port => $PGPORT, "user" => 'postgres')
	"10"|INSERT INTO datastore.stores (name, type, host, port, "user", max_connections, min_connections) VALUES ('esc12', 'postgres', '$sock', $PGPORT, 'postgres', 1, 0)
	ATTEMPTS
)
tried=0
refused=0
while IFS='|' read -r role sql; do
	tried=$((tried + 1))
	out=$(psql -X -At -d "$db" -v ON_ERROR_STOP=1 -c "SET ROLE $role" -c "$sql" 2>&1 || true)
	case "$out" in
	*"permission denied"* | *"may not "* | *"does not exist"*) refused=$((refused + 1)) ;;
	*) echo "NOT REFUSED as $role: $sql"; echo "  $out" ;;
	esac
done <<<"$attempts"
# A grant for a store that does not exist yet, while a superuser registers
# it: the grant's statement waits between its rows (the store's row was not
# visible to the first, the foreign key is checked only at its end).
tried=$((tried + 1))
psql -X -q -d "$db" -c "SET ROLE regress_esc_admin" -c "INSERT INTO datastore.grants
	SELECT v.s, 'regress_esc_admin' FROM (VALUES (1, 'newstore'), (2, 'admin_own')) v(i, s)
	 WHERE CASE WHEN v.i = 2 THEN pg_sleep(3) IS NOT NULL ELSE true END" >"$DS_TMP/esc_race.out" 2>&1 &
race=$!
sleep 1
psql -X -q -d "$db" -c "SELECT ds_register('newstore', 'postgres', host => '$sock', port => $PGPORT, \"user\" => 'postgres')" >/dev/null
wait "$race" || true
if grep -q "does not exist\|permission denied" "$DS_TMP/esc_race.out"; then refused=$((refused + 1)); else echo "NOT REFUSED: the racing grant"; cat "$DS_TMP/esc_race.out"; fi
changed=$(psql -X -At -d "$db" <<-'SQL'
	SELECT count(*) FROM ((TABLE before EXCEPT SELECT * FROM datastore.stores)
	                      UNION ALL (SELECT * FROM datastore.stores EXCEPT TABLE before)) d
	 WHERE name <> 'newstore';
SQL
)
grants=$(psql -X -At -d "$db" -c "SELECT count(*) FROM datastore.grants WHERE store IN ('my', 'admin_own', 'warehouse', 'newstore')")
supers=$(psql -X -At -d "$db" -c "SELECT count(*) FROM pg_roles WHERE (rolname LIKE 'regress_esc_%' OR rolname = '10') AND rolsuper")
psql -X -q -d postgres -c "DROP DATABASE $db" -c "DROP ROLE regress_esc_admin" -c "DROP ROLE regress_esc_user" -c "DROP ROLE regress_esc_former" -c 'DROP ROLE "10"'
echo "attempts: $tried tried, $refused refused; stores changed: $changed; grants made: $grants; superusers made: $supers"
[ "$refused" = "$tried" ] && [ "$changed" = 0 ] && [ "$grants" = 0 ] && [ "$supers" = 0 ] || { echo FAIL; exit 1; }
echo "reliability: escalation $tried $refused"
