#!/usr/bin/env bash
# The StarRocks emulator's own checks, with curl as the client: 307 with
# auth, 100-continue, CSV/JSON parsing, filtering, labels, the SQL API, the
# transaction API and the fault switches (see test/starrocks_emulator/).
exec bash "$(dirname "$0")/../starrocks_emulator/selftest.sh"
