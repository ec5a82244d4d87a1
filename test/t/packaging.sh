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
# A released script is frozen: the tag's copy and the tree's must match.
if git rev-parse -q --verify refs/tags/v0.1 >/dev/null 2>&1; then
	git diff --quiet v0.1 -- sql/datastore--0.1.sql || fail "sql/datastore--0.1.sql changed after v0.1"
	echo "sql/datastore--0.1.sql is as tagged v0.1"
fi
echo "packaging consistent: version $version, upgrade chain 0.1 -> $version"
