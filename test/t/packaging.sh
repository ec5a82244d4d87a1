#!/usr/bin/env bash
# The packaging agrees with itself: META.json parses and carries the
# control file's version, every install and upgrade script the Makefile
# ships exists, an upgrade chain leads from 0.1 to the default version, the
# changelog has a section for it, and released scripts were not edited
# after their tag.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
cd "$DS_ROOT"
fail() { echo "FAIL: $*"; exit 1; }
version=$(sed -n "s/^default_version = '\(.*\)'/\1/p" datastore.control)
[ -n "$version" ] || fail "no default_version in datastore.control"
meta=$(python3 -c 'import json; m = json.load(open("META.json")); print(m["version"], m["provides"]["datastore"]["version"])') ||
	fail "META.json does not parse"
for v in $meta; do
	case "$v" in "$version" | "$version".*) ;; *) fail "META.json says $v, datastore.control $version" ;; esac
done
# PGXN installs from the install script META.json names: the current one.
metafile=$(python3 -c 'import json; print(json.load(open("META.json"))["provides"]["datastore"]["file"])')
[ "$metafile" = "sql/datastore--$version.sql" ] || fail "META.json provides $metafile, not sql/datastore--$version.sql"
for f in $(sed -n 's/^DATA = //p' Makefile); do [ -f "$f" ] || fail "Makefile ships $f, which is missing"; done
# Walk the upgrade scripts from the first release to the default version.
at=0.1
while [ "$at" != "$version" ]; do
	next=$(ls sql/datastore--"$at"--*.sql 2>/dev/null | sed -n "s|sql/datastore--$at--\(.*\)\.sql|\1|p" | head -1)
	[ -n "$next" ] || fail "no upgrade script from $at (default_version is $version)"
	grep -q "sql/datastore--$at--$next.sql" Makefile || fail "Makefile does not ship datastore--$at--$next.sql"
	at=$next
done
grep -q "^## $version\b" CHANGELOG.md || fail "CHANGELOG.md has no section for $version"
# A released script is frozen: its bytes are what was released (the hash
# is recorded here at each release, so a clone without tags checks it too).
released="867042dbcea10dfde029e62284b26dd529f91ec29265bcb8a756d31b81dcb67e  sql/datastore--0.1.sql"
echo "$released" | sha256sum --check --quiet || fail "a released install script changed after its release"
echo "released scripts unchanged: $(echo "$released" | awk '{print $2}' | tr '\n' ' ')"
echo "packaging consistent: version $version, upgrade chain 0.1 -> $version"

# A fresh install of the default version and a 0.1 database updated to it
# hold the same objects, defined the same way (stored expressions, function
# bodies and settings, triggers, privileges).
. "$DS_ENV"
describe() {
	psql -X -q -At -d "$1" <<-'SQL'
		SELECT 'member ' || pg_describe_object(classid, objid, objsubid)
		  FROM pg_depend WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
		   AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'datastore');
		SELECT 'function ' || p.oid::regprocedure || E'\n' || pg_get_functiondef(p.oid)
		       || E'\nacl ' || coalesce(p.proacl::text, '-')
		  FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
		 WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
		   AND p.prokind <> 'a';
		SELECT 'column ' || a.attrelid::regclass || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
		       || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
		       || coalesce(' default ' || pg_get_expr(ad.adbin, ad.adrelid), '')
		  FROM pg_attribute a LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
		 WHERE a.attrelid IN ('datastore.stores'::regclass, 'datastore.grants'::regclass)
		   AND a.attnum > 0 AND NOT a.attisdropped;
		SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
		  FROM pg_constraint WHERE connamespace = 'datastore'::regnamespace;
		SELECT 'trigger ' || pg_get_triggerdef(oid) FROM pg_trigger
		 WHERE tgrelid IN ('datastore.stores'::regclass, 'datastore.grants'::regclass) AND NOT tgisinternal;
		SELECT 'view ' || pg_get_viewdef('ds_stores'::regclass);
		SELECT 'acl ' || c.oid::regclass || ' ' || coalesce(c.relacl::text, '-') FROM pg_class c
		 WHERE c.relnamespace = 'datastore'::regnamespace OR c.oid = 'ds_stores'::regclass;
		SELECT 'acl schema ' || coalesce(nspacl::text, '-') FROM pg_namespace WHERE nspname = 'datastore';
	SQL
}
for db in ds_pkg_fresh ds_pkg_updated; do
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" 2>/dev/null
done
psql -X -q -d ds_pkg_fresh -c "CREATE EXTENSION datastore"
psql -X -q -d ds_pkg_updated -c "CREATE EXTENSION datastore VERSION '0.1'" -c "ALTER EXTENSION datastore UPDATE"
describe ds_pkg_fresh | sort >"$DS_TMP/pkg_fresh.txt"
describe ds_pkg_updated | sort >"$DS_TMP/pkg_updated.txt"
[ -s "$DS_TMP/pkg_fresh.txt" ] || fail "no description of the fresh install"
if ! diff -u "$DS_TMP/pkg_fresh.txt" "$DS_TMP/pkg_updated.txt"; then
	fail "a fresh $version install and 0.1 updated to $version differ"
fi
echo "fresh install and updated 0.1 agree ($(wc -l <"$DS_TMP/pkg_fresh.txt") lines of definitions)"
for db in ds_pkg_fresh ds_pkg_updated; do psql -X -q -d postgres -c "DROP DATABASE $db"; done
