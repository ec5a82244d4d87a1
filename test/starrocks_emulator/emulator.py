#!/usr/bin/python3
"""StarRocks FE/BE HTTP emulator for tests, backed by MariaDB.

A StarRocks database is a MariaDB database, a table a MariaDB table, a user a
MariaDB account.  The FE port serves stream-load redirects, transaction
stream-load redirects, get_load_state, the HTTP SQL API and the control
endpoints; the BE port serves stream loads, transaction stream loads and the
load error logs.  With --mysql-listen-port the FE's MySQL protocol is served
too, in StarRocks' dialect, by a front for MariaDB (mysql_front.py); loads
follow the table models it records (sr_sql.py).  See README.md beside this
file.

Standard library plus python3-pymysql only.  Binds 127.0.0.1 only.
"""

import argparse
import base64
import collections
import json
import logging
import math
import os
import re
import select
import signal
import socket
import struct
import sys
import threading
import time
import traceback
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

try:
    import pymysql
    import pymysql.cursors
    from pymysql.constants import FIELD_TYPE
except ImportError:  # pragma: no cover
    sys.stderr.write("emulator: python3-pymysql is required (apt-get install python3-pymysql)\n")
    sys.exit(2)

sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sr_sql  # noqa: E402

LOG = logging.getLogger("sr-emulator")

LABEL_RE = re.compile(r"^[-\w]{1,128}$", re.ASCII)
IDENT_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")
STRICT_SQL_MODE = "STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION"
READ_CHUNK = 1 << 20
BATCH_ROWS = 2000
BATCH_BYTES = 1 << 20
MAX_ERROR_LINES = 10000
MAX_ERROR_LOGS = 1000
MAX_LABEL_STATS = 10000
DEFAULT_LOAD_TIMEOUT = 600

# MariaDB error numbers that abort a whole load instead of filtering one row.
FATAL_ERRNOS = {
    1044, 1045, 1142, 1143, 1146, 1054, 1064, 1180, 1181, 1205, 1213, 1290,
    1317, 1792, 1927, 1969, 2006, 2013, 2014, 2055,
}

_ESC = {0: "\\0", 10: "\\n", 13: "\\r", 26: "\\Z", 34: '\\"', 39: "\\'", 92: "\\\\"}


def qs(s):
    """SQL string literal (backslash escapes are on: we set sql_mode)."""
    return "'" + s.translate(_ESC) + "'"


def qi(name):
    return "`" + name.replace("`", "``") + "`"


def lit(v):
    if v is None:
        return "NULL"
    t = type(v)
    if t is str:
        return qs(v)
    if t is bool:
        return "1" if v else "0"
    if t is int:
        return str(v)
    if t is float:
        return repr(v) if math.isfinite(v) else qs(repr(v))
    if t is Decimal:
        return str(v) if v.is_finite() else qs(str(v))
    return qs(json.dumps(v, ensure_ascii=False, separators=(",", ":"), default=str))


def now_ms():
    return int(time.monotonic() * 1000)


class ClientGone(Exception):
    """The HTTP client went away (EOF / reset / timeout while reading)."""


class BreakNow(Exception):
    """Fault injection: close the connection abruptly now."""


class LoadFatal(Exception):
    """The whole load fails (Status Fail) with this message."""


class BadRequest(Exception):
    def __init__(self, msg, code=400):
        super().__init__(msg)
        self.msg = msg
        self.code = code


# ---------------------------------------------------------------------------
# configuration / fault injection

DEFAULT_CONFIG = {
    "fe_failed_mode": None,       # None | "failed" | "500"
    "fe_failed_count": 0,         # 0 = every request, k = next k requests only
    "break_after_rows": None,     # None = off; N = close abruptly after N rows
    "break_count": 0,
    "break_scope": "all",         # all | load | sql
    "stall_seconds": 0.0,         # BE stops reading the body for S seconds
    "stall_count": 0,
    "sink": False,                # count rows/bytes, store nothing
    "publish_timeout": False,     # successful loads say "Publish Timeout"
    "publish_visible_delay": 2.0,  # seconds a Publish Timeout label stays COMMITTED
    "prepared_dml": False,        # MySQL front: let COM_STMT_PREPARE take INSERT too
    "txn_delay_op": None,         # None | begin | load | prepare | commit | rollback
    "txn_delay_seconds": 0.0,     # the BE waits this long before doing that step
    "txn_delay_count": 0,         # 0 = every time, k = next k times only
    "be_advertise_host": None,    # None = 127.0.0.1; the host the FE's 307 names
}


def _opt_int(v, key):
    if v is None or v == "" or v is False:
        return None
    try:
        n = int(v)
    except (TypeError, ValueError):
        raise BadRequest("config %s: integer or null expected" % key)
    return None if n < 0 else n


def _num(v, key):
    try:
        n = float(v or 0)
    except (TypeError, ValueError):
        raise BadRequest("config %s: number expected" % key)
    if n < 0 or not math.isfinite(n):
        raise BadRequest("config %s: must be >= 0" % key)
    return n


def _count(v, key):
    try:
        n = int(v or 0)
    except (TypeError, ValueError):
        raise BadRequest("config %s: integer expected" % key)
    if n < 0:
        raise BadRequest("config %s: must be >= 0" % key)
    return n


def _bool(v, key):
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return bool(v)
    if isinstance(v, str) and v.lower() in ("true", "1", "on", "yes"):
        return True
    if isinstance(v, str) and v.lower() in ("false", "0", "off", "no", ""):
        return False
    if v is None:
        return False
    raise BadRequest("config %s: boolean expected" % key)


def normalize_config(key, value):
    if key not in DEFAULT_CONFIG:
        raise BadRequest("unknown config key %r; known: %s" % (key, ", ".join(sorted(DEFAULT_CONFIG))))
    if key == "fe_failed_mode":
        if value in (None, "", False, "none", "off"):
            return None
        v = str(value).lower()
        if v not in ("failed", "500"):
            raise BadRequest("config fe_failed_mode: null, \"failed\" or \"500\" expected")
        return v
    if key == "break_after_rows":
        return _opt_int(value, key)
    if key == "break_scope":
        v = str(value or "all").lower()
        if v not in ("all", "load", "sql"):
            raise BadRequest("config break_scope: all, load or sql expected")
        return v
    if key in ("stall_seconds", "publish_visible_delay", "txn_delay_seconds"):
        return _num(value, key)
    if key in ("fe_failed_count", "break_count", "stall_count", "txn_delay_count"):
        return _count(value, key)
    if key == "txn_delay_op":
        if value in (None, "", False, "none", "off"):
            return None
        v = str(value).lower()
        if v not in ("begin", "load", "prepare", "commit", "rollback"):
            raise BadRequest("config txn_delay_op: null, begin, load, prepare, commit or rollback expected")
        return v
    if key == "be_advertise_host":
        if value in (None, "", False):
            return None
        v = str(value)
        if not re.match(r"^[A-Za-z0-9.-]{1,253}$", v):
            raise BadRequest("config be_advertise_host: a host name or IPv4 address expected")
        return v
    return _bool(value, key)


# ---------------------------------------------------------------------------
# MariaDB access

class Pool:
    """Small per-credentials pool of MariaDB connections for loads."""

    def __init__(self, host, port, max_idle=8):
        self.host = host
        self.port = port
        self.max_idle = max_idle
        self.idle = collections.defaultdict(list)
        self.lock = threading.Lock()

    def connect(self, user, password, database=None, cursorclass=None, strict=True):
        kw = dict(host=self.host, port=self.port, user=user, password=password,
                  charset="utf8mb4", autocommit=True, connect_timeout=10,
                  local_infile=False)
        if database:
            kw["database"] = database
        if cursorclass is not None:
            kw["cursorclass"] = cursorclass
        if strict:
            kw["init_command"] = "SET SESSION sql_mode='%s'" % STRICT_SQL_MODE
        return pymysql.connect(**kw)

    def get(self, user, password):
        key = (user, password)
        while True:
            with self.lock:
                conn = self.idle[key].pop() if self.idle[key] else None
            if conn is None:
                return self.connect(user, password)
            try:
                conn.ping(reconnect=False)
                return conn
            except Exception:
                close_quietly(conn)

    def put(self, user, password, conn):
        if conn is None:
            return
        if not conn.open:
            return
        key = (user, password)
        with self.lock:
            if len(self.idle[key]) < self.max_idle:
                self.idle[key].append(conn)
                return
        close_quietly(conn)

    def close_all(self):
        with self.lock:
            conns = [c for lst in self.idle.values() for c in lst]
            self.idle.clear()
        for c in conns:
            close_quietly(c)


def close_quietly(conn):
    if conn is None:
        return
    try:
        conn.close()
    except Exception:
        try:
            conn._force_close()
        except Exception:
            pass


def mysql_errno(e):
    try:
        return int(e.args[0])
    except Exception:
        return 0


def mysql_msg(e):
    if len(getattr(e, "args", ())) >= 2:
        return str(e.args[1])
    return str(e)


class Schema:
    def __init__(self, columns, pk, has_unique, info=None, tdef=None):
        self.columns = columns          # ordered list of names
        self.lower = {c.lower(): c for c in columns}
        self.pk = pk
        self.has_unique = has_unique
        self.info = info or {}          # name -> (IS_NULLABLE, COLUMN_DEFAULT, DATA_TYPE, EXTRA)
        self.tdef = tdef                # sr_sql.TableDef when the table was made through the MySQL front
        if tdef is not None:
            self.model = tdef.model
            self.keys = [self.lower.get(k.lower(), k) for k in tdef.keys]
        else:
            # A table made with MariaDB DDL: a primary or unique key makes
            # it a Primary Key table, no key a Duplicate Key table.
            self.model = "PRIMARY" if has_unique else "DUPLICATE"
            self.keys = pk

    @property
    def upsert_keys(self):
        """The columns a delete (__op=1) matches on."""
        return self.keys if self.tdef is not None else self.pk


def load_schema(conn, db, table, meta=None):
    """Schema of db.table, or raise LoadFatal with StarRocks-like text."""
    with conn.cursor() as cur:
        cur.execute("SELECT COLUMN_NAME, COLUMN_KEY, IS_NULLABLE, COLUMN_DEFAULT, DATA_TYPE, EXTRA "
                    "FROM information_schema.COLUMNS "
                    "WHERE TABLE_SCHEMA=%s AND TABLE_NAME=%s ORDER BY ORDINAL_POSITION", (db, table))
        rows = cur.fetchall()
        if not rows:
            cur.execute("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME=%s", (db,))
            if not cur.fetchall():
                raise LoadFatal("unknown database, database=%s" % db)
            raise LoadFatal("unknown table, tableName=%s" % table)
        cur.execute("SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA=%s "
                    "AND TABLE_NAME=%s AND NON_UNIQUE=0", (db, table))
        nuniq = cur.fetchall()[0][0]
    cols = [r[0] for r in rows]
    pk = [r[0] for r in rows if r[1] == "PRI"]
    info = {r[0]: (r[2], r[3], r[4], r[5] or "") for r in rows}
    tdef = None
    if meta is not None:
        try:
            tdef = meta.get(db, table)
        except pymysql.MySQLError as e:
            LOG.warning("table model of %s.%s unreadable: %s", db, table, e)
    return Schema(cols, pk, bool(pk) or nuniq > 0, info, tdef)


# ---------------------------------------------------------------------------
# load options

def parse_separator(value, default):
    if value is None or value == "":
        return default
    raw = value.encode("latin-1", "replace")  # http.server decodes headers as latin-1
    if len(value) > 2 and value[:2] in ("\\x", "\\X", "0x", "0X"):
        digits = value[2:]
        if len(digits) % 2 == 0 and re.fullmatch(r"[0-9A-Fa-f]+", digits):
            return bytes.fromhex(digits)
    return raw


UNSUPPORTED_HEADERS = ("jsonpaths", "where", "json_root", "partitions", "temporary_partitions",
                       "merge_condition", "compression")


class LoadOptions:
    def __init__(self):
        self.format = "csv"
        self.col_sep = b"\t"
        self.row_delim = b"\n"
        self.enclose = None
        self.escape = None
        self.skip_header = 0
        self.trim_space = False
        self.strip_outer_array = False
        self.max_filter_ratio = 0.0
        self.max_filter_ratio_set = False
        self.columns = None       # list of data column names (may include __op)
        self.op_const = None      # 0 / 1 from columns "__op=..."
        self.partial_update = False
        self.timeout = DEFAULT_LOAD_TIMEOUT

    def key(self):
        return (self.format, self.col_sep, self.row_delim, self.enclose, self.escape,
                self.trim_space, self.strip_outer_array,
                tuple(self.columns) if self.columns else None, self.op_const, self.partial_update)


def parse_op(v):
    s = str(v).strip().strip("'\"").lower()
    if s in ("0", "upsert"):
        return 0
    if s in ("1", "delete"):
        return 1
    return None


def parse_load_options(headers, schema):
    """LoadOptions from request headers; raises LoadFatal on bad values."""
    o = LoadOptions()
    for h in UNSUPPORTED_HEADERS:
        if headers.get(h):
            raise LoadFatal("emulator: header '%s' is not supported" % h)
    ce = headers.get("Content-Encoding")
    if ce and ce.lower() != "identity":
        raise LoadFatal("emulator: Content-Encoding '%s' is not supported" % ce)
    fmt = (headers.get("format") or "csv").strip().lower()
    if fmt not in ("csv", "json"):
        raise LoadFatal("unknown data format, format=%s" % headers.get("format"))
    o.format = fmt
    o.col_sep = parse_separator(headers.get("column_separator"), b"\t")
    o.row_delim = parse_separator(headers.get("row_delimiter"), b"\n")
    if len(o.col_sep) > 50 or len(o.row_delim) > 50:
        raise LoadFatal("column separator or row delimiter is limited to 50 bytes")
    if o.row_delim == o.col_sep:
        raise LoadFatal("column separator and row delimiter must differ")
    for name in ("enclose", "escape"):
        v = headers.get(name)
        if v:
            b = v.encode("latin-1", "replace")[:1]
            setattr(o, name, b[0])
    try:
        o.skip_header = int(headers.get("skip_header") or 0)
        if o.skip_header < 0:
            raise ValueError
    except ValueError:
        raise LoadFatal("Invalid skip_header: %s" % headers.get("skip_header"))
    o.trim_space = (headers.get("trim_space") or "").lower() == "true"
    o.strip_outer_array = (headers.get("strip_outer_array") or "").lower() == "true"
    o.partial_update = (headers.get("partial_update") or "").lower() == "true"
    mfr = headers.get("max_filter_ratio")
    if mfr:
        try:
            o.max_filter_ratio = float(mfr)
            o.max_filter_ratio_set = True
            if not (0.0 <= o.max_filter_ratio <= 1.0):
                raise ValueError
        except ValueError:
            raise LoadFatal("Invalid max_filter_ratio: %s" % mfr)
    tmo = headers.get("timeout")
    if tmo:
        try:
            o.timeout = int(tmo)
            if o.timeout <= 0:
                raise ValueError
        except ValueError:
            raise LoadFatal("Invalid timeout: %s" % tmo)
    cols = headers.get("columns")
    if cols and cols.strip():
        # Plain names, and __op set to a constant (`columns: __op='delete'`)
        # or to one of the listed names that is not a table column
        # (`columns: id, name, temp, __op = temp`), as
        # Load_to_Primary_Key_tables.md shows.
        items = []
        op_from = None
        for raw in cols.split(","):
            item = raw.strip()
            if not item:
                raise LoadFatal("empty entry in columns: %s" % cols)
            if "=" in item:
                left, right = item.split("=", 1)
                left = left.strip().strip("`").strip()
                right = right.strip()
                if left.lower() == "__op" and parse_op(right) is not None:
                    o.op_const = parse_op(right)
                    continue
                if left.lower() == "__op" and re.fullmatch(r"`?[A-Za-z_][A-Za-z0-9_]*`?", right):
                    op_from = right.strip("`")
                    continue
                raise LoadFatal("emulator supports only plain column names (and __op=0|1|'upsert'|'delete'|"
                                "<listed name>) in 'columns', not the expression: %s" % item)
            name = item.strip("`").strip()
            if not re.fullmatch(r"[^\s()'\"]+", name):
                raise LoadFatal("emulator supports only plain column names in 'columns', got: %s" % item)
            items.append(name)
        names = []
        for name in items:
            if name.lower() == "__op" or (op_from is not None and name.lower() == op_from.lower()
                                          and schema.lower.get(name.lower()) is None):
                names.append("__op")
                continue
            real = schema.lower.get(name.lower())
            if real is None:
                raise LoadFatal("column(%s) not exists in table" % name)
            names.append(real)
        if op_from is not None and "__op" not in names:
            raise LoadFatal("column(%s) not exists in columns" % op_from)
        o.columns = names or None
    if o.columns and not o.partial_update:
        # Load.initColumns: a table column the load does not name needs a
        # default or NULL, "partial update do not check default value".
        for c in schema.columns:
            if c in o.columns:
                continue
            nullable, dflt, _dtype, extra = schema.info.get(c, ("YES", None, "", ""))
            if nullable != "YES" and dflt is None and "auto_increment" not in extra \
                    and "GENERATED" not in extra.upper():
                raise LoadFatal("Column has no default value. column: %s" % c)
    primary = schema.model == "PRIMARY" and bool(schema.upsert_keys)
    if o.partial_update and not primary:
        # StreamLoadPlanner.plan()
        raise LoadFatal("Only primary key table support partial update")
    if (o.op_const is not None or (o.columns and "__op" in o.columns)) and not primary:
        # StreamLoadPlanner adds the __op slot for Primary Key tables only.
        raise LoadFatal("emulator: __op (upsert/delete) needs a Primary Key table")
    return o


# ---------------------------------------------------------------------------
# parsing and writing rows

class TableWriter:
    """Inserts (or deletes, for __op=1) rows in batches inside the caller's
    MariaDB transaction; on a batch error falls back to row by row to find
    the bad rows (each failing statement is rolled back by InnoDB alone)."""

    def __init__(self, conn, db, table, cols, schema, partial, job):
        self.conn = conn
        self.cur = conn.cursor()
        self.job = job
        self.cols = cols
        self.table = "%s.%s" % (qi(db), qi(table))
        collist = ",".join(qi(c) for c in cols)
        keys = schema.upsert_keys
        self.fill_sql = ""
        if partial:
            # partial_update on a Primary Key table: existing rows get only
            # the listed columns; new rows get defaults in the others, and
            # a NOT NULL column without one gets 0 / '' (Load_to_Primary_Key_tables.md).
            upd = [c for c in cols if c not in keys]
            if not upd:
                upd = [cols[0]]
            fill = []
            for c in schema.columns:
                if c in cols:
                    continue
                nullable, dflt, dtype, extra = schema.info.get(c, ("YES", None, "", ""))
                if nullable == "YES" or dflt is not None or "auto_increment" in extra or "GENERATED" in extra.upper():
                    continue
                fill.append((c, sr_sql.zero_literal(dtype)))
            if fill:
                collist += "," + ",".join(qi(c) for c, _ in fill)
                self.fill_sql = "," + ",".join(v for _, v in fill)
            self.ins_prefix = "INSERT INTO %s (%s) VALUES " % (self.table, collist)
            self.ins_suffix = " ON DUPLICATE KEY UPDATE " + ",".join(
                "%s=VALUES(%s)" % (qi(c), qi(c)) for c in upd)
        elif schema.model == "AGGREGATE" and schema.tdef is not None:
            # Aggregate table: each value column's function.
            self.ins_prefix = "INSERT INTO %s (%s) VALUES " % (self.table, collist)
            self.ins_suffix = sr_sql.agg_suffix(schema.tdef)
        else:
            # Primary Key / Unique Key: the row replaces the one with its
            # key (within a load the last one wins); Duplicate Key: append.
            verb = sr_sql.upsert_verb(schema.model)
            self.ins_prefix = "%s INTO %s (%s) VALUES " % (verb, self.table, collist)
            self.ins_suffix = ""
        self.pk_idx = [cols.index(k) for k in keys if k in cols] if keys else []
        self.pk_complete = bool(keys) and len(self.pk_idx) == len(keys)
        self.pk_cols = "(" + ",".join(qi(k) for k in keys) + ")" if keys else ""
        self.batch = []
        self.batch_op = 0
        self.batch_bytes = 0
        self.write_ms = 0

    def add(self, op, values, raw):
        """values: list of SQL literals in self.cols order."""
        if op == 1:
            if not self.pk_complete:
                self.job.reject(raw, "delete row needs all primary key columns")
                return
            tup = "(" + ",".join(values[i] for i in self.pk_idx) + ")"
        else:
            tup = "(" + ",".join(values) + ")"
        if self.batch and self.batch_op != op:
            self.flush()
        self.batch_op = op
        self.batch.append((tup, raw))
        self.batch_bytes += len(tup)
        if len(self.batch) >= BATCH_ROWS or self.batch_bytes >= BATCH_BYTES:
            self.flush()

    def add_tuple(self, tup, raw):
        """Fast path for inserts: tup is an SQL '(...)' tuple."""
        if self.batch and self.batch_op != 0:
            self.flush()
        self.batch_op = 0
        self.batch.append((tup, raw))
        self.batch_bytes += len(tup)
        if len(self.batch) >= BATCH_ROWS or self.batch_bytes >= BATCH_BYTES:
            self.flush()

    def _sql(self, op, tuples):
        if op == 1:
            return "DELETE FROM %s WHERE %s IN (%s)" % (self.table, self.pk_cols, ",".join(tuples))
        if self.fill_sql:
            tuples = [t[:-1] + self.fill_sql + ")" for t in tuples]
        return self.ins_prefix + ",".join(tuples) + self.ins_suffix

    def flush(self):
        if not self.batch:
            return
        batch, op = self.batch, self.batch_op
        self.batch, self.batch_bytes = [], 0
        t0 = time.monotonic()
        try:
            self.cur.execute(self._sql(op, [t for t, _ in batch]))
            self.job.loaded += len(batch)
        except pymysql.MySQLError as e:
            if self._fatal(e):
                raise LoadFatal("MariaDB error %d: %s" % (mysql_errno(e), mysql_msg(e)))
            for tup, raw in batch:
                try:
                    self.cur.execute(self._sql(op, [tup]))
                    self.job.loaded += 1
                except pymysql.MySQLError as e2:
                    if self._fatal(e2):
                        raise LoadFatal("MariaDB error %d: %s" % (mysql_errno(e2), mysql_msg(e2)))
                    self.job.reject(raw, mysql_msg(e2))
        finally:
            self.write_ms += int((time.monotonic() - t0) * 1000)

    @staticmethod
    def _fatal(e):
        if isinstance(e, (pymysql.err.InterfaceError, pymysql.err.ProgrammingError)):
            return True
        n = mysql_errno(e)
        return n in FATAL_ERRNOS or n >= 2000 or n == 0


def raw_text(b):
    if isinstance(b, (bytes, bytearray)):
        s = bytes(b).decode("utf-8", "replace")
    else:
        s = str(b)
    return s if len(s) <= 1024 else s[:1024] + "..."


class LoadJob:
    """Parses one load's data and writes it (or only counts it in sink mode)."""

    def __init__(self, emu, conn, db, table, schema, opts, brk, deadline, sink):
        self.emu = emu
        self.opts = opts
        self.schema = schema
        self.brk = brk
        self.deadline = deadline
        self.sink = sink
        self.rows_seen = 0      # rows parsed so far (for break_after_rows)
        self.loaded = 0
        self.filtered = 0
        self.errors = []
        self.skip = opts.skip_header
        data_cols = opts.columns if opts.columns else list(schema.columns)
        if opts.format == "json" and not opts.columns and schema.model == "PRIMARY" and schema.upsert_keys \
                and "__op" not in schema.lower:
            # A JSON key __op upserts (0, "upsert") or deletes (1, "delete")
            # on a Primary Key table, the columns header or not.
            data_cols = data_cols + ["__op"]
        self.data_cols = data_cols
        self.ncols = len(data_cols)
        self.op_idx = data_cols.index("__op") if "__op" in data_cols else None
        self.target_cols = [c for c in data_cols if c != "__op"]
        self.sel = [i for i, c in enumerate(data_cols) if c != "__op"]
        self.simple = self.op_idx is None and opts.op_const is None
        # ARRAY columns: what a load sends is read as StarRocks reads an
        # array (a JSON array in a JSON load; [...] text in CSV) and kept
        # in the form StarRocks prints ([1,2,3]); anything else (a
        # PostgreSQL {1,2}) is an error value: NULL, strict mode being off
        # by default (Strict_mode.md), or a filtered row for a NOT NULL
        # column.
        self.arrays = {}
        if schema.tdef is not None:
            for i, c in enumerate(self.target_cols):
                col = schema.tdef.column(c)
                if col is not None and col.type.base == "ARRAY":
                    self.arrays[i] = col
        if self.arrays:
            self.simple = False
        self.writer = None
        if not sink:
            self.writer = TableWriter(conn, db, table, self.target_cols, schema, opts.partial_update, self)

    # -- bookkeeping
    def reject(self, raw, reason):
        self.filtered += 1
        if len(self.errors) < MAX_ERROR_LINES:
            self.errors.append("Error: %s. Row: %s" % (reason, raw_text(raw)))

    def _tick(self):
        self.rows_seen += 1
        if self.brk is not None and self.rows_seen > self.brk:
            raise BreakNow()

    def check_deadline(self):
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise LoadFatal("Timeout: the load did not finish within timeout=%ds" % self.opts.timeout)

    @property
    def total(self):
        return self.loaded + self.filtered

    def finish(self):
        if self.writer:
            self.writer.flush()

    def _row_op(self, vals, raw):
        """Resolves __op; returns (op, target values) or None if rejected."""
        op = self.opts.op_const or 0
        if self.op_idx is not None:
            v = vals[self.op_idx]
            op = parse_op(v) if v is not None else 0
            if op is None:
                self.reject(raw, "invalid __op value %r (expect 0/1/upsert/delete)" % (v,))
                return None
        out = [vals[i] for i in self.sel]
        for i, col in self.arrays.items():
            v = out[i]
            if v is None:
                continue
            if isinstance(v, str):
                try:
                    v = json.loads(v)
                except ValueError:
                    v = None
            if not isinstance(v, list):
                if not col.nullable:
                    self.reject(raw, "Value for column '%s' is not an array and the column is NOT NULL"
                                % col.name)
                    return None
                out[i] = None
            else:
                out[i] = json.dumps(v, ensure_ascii=False, separators=(",", ":"))
        return op, out

    # -- CSV
    def _csv_row(self, row):
        """row: bytes of one record (no delimiter)."""
        if self.skip:
            self.skip -= 1
            return
        self._tick()
        fields = row.split(self.opts.col_sep)
        if len(fields) != self.ncols:
            self.reject(row, "Value count does not match column count. Expect %d, but got %d"
                        % (self.ncols, len(fields)))
            return
        if self.sink:
            self.loaded += 1
            return
        trim = self.opts.trim_space
        try:
            if self.simple:
                if trim:
                    fields = [f.strip(b" ") for f in fields]
                tup = "(" + ",".join(["NULL" if f == b"\\N" else qs(f.decode("utf-8")) for f in fields]) + ")"
                self.writer.add_tuple(tup, row)
                return
            vals = [None if f == b"\\N" else (f.strip(b" ") if trim else f).decode("utf-8") for f in fields]
        except UnicodeDecodeError:
            self.reject(row, "Invalid UTF-8 data")
            return
        r = self._row_op(vals, row)
        if r:
            self.writer.add(r[0], [lit(v) for v in r[1]], row)

    def feed_csv_stream(self, chunks):
        delim = self.opts.row_delim
        tail = b""
        for chunk in chunks:
            if not chunk:
                continue
            buf = tail + chunk if tail else chunk
            parts = buf.split(delim)
            tail = parts.pop()
            for p in parts:
                if p:
                    self._csv_row(p)
            self.check_deadline()
        if tail:
            self._csv_row(tail)

    def feed_csv_enclosed_stream(self, chunks):
        """Enclose/escape CSV, streamed: records holding no enclose byte (and no
        escape byte but in a bare \\N) are split directly; only the others go
        through the state machine, so memory and time stay linear."""
        o = self.opts
        rd, enc, esc = o.row_delim, o.enclose, o.escape
        enc_b = bytes([enc]) if enc is not None else None
        esc_b = bytes([esc]) if esc is not None and esc != enc else None

        def plain(rec):
            if enc_b is not None and enc_b in rec:
                return False
            return esc_b is None or esc_b not in rec.replace(b"\\N", b"")

        tail = b""
        for chunk in chunks:
            if not chunk:
                continue
            buf = tail + chunk if tail else chunk
            if self.sink and plain(buf) and not self.skip:
                # Sink mode only counts, as the unenclosed fast path does.
                cnt = buf.count(rd)
                self.loaded += cnt
                self.rows_seen += cnt
                if self.brk is not None and self.rows_seen > self.brk:
                    raise BreakNow()
                tail = buf[buf.rfind(rd) + len(rd):] if cnt else buf
                self.check_deadline()
                continue
            pos = 0
            while True:
                j = buf.find(rd, pos)
                if j < 0:
                    break
                rec = buf[pos:j]
                if plain(rec):
                    if rec:
                        self._csv_row(rec)
                    pos = j + len(rd)
                    continue
                end = self._enclosed_end(buf, pos)
                if end < 0:
                    break
                self.feed_csv_enclosed(buf[pos:end])
                pos = end + len(rd)
            tail = buf[pos:]
            self.check_deadline()
        if tail:
            if plain(tail):
                self._csv_row(tail)
            else:
                self.feed_csv_enclosed(tail)

    def _enclosed_end(self, data, pos):
        """Index of the row delimiter that ends the record at pos, or -1."""
        o = self.opts
        rd, enc, esc = o.row_delim, o.enclose, o.escape
        if esc is not None and esc == enc:
            esc = None
        n = len(data)
        i = pos
        in_q = False
        at_field_start = True
        while i < n:
            c = data[i]
            if in_q:
                if esc is not None and c == esc:
                    i += 2
                    continue
                if c == enc:
                    if i + 1 < n and data[i + 1] == enc:
                        i += 2
                        continue
                    in_q = False
                i += 1
                continue
            if esc is not None and c == esc and not data.startswith(b"\\N", i):
                i += 2
                at_field_start = False
                continue
            if enc is not None and c == enc and at_field_start:
                in_q = True
                at_field_start = False
                i += 1
                continue
            if data.startswith(o.col_sep, i):
                at_field_start = True
                i += len(o.col_sep)
                continue
            if data.startswith(rd, i):
                return i
            at_field_start = False
            i += 1
        return -1

    def feed_csv_enclosed(self, data):
        """State-machine CSV parser for enclose/escape (slow path)."""
        o = self.opts
        sep, rd, enc, esc = o.col_sep, o.row_delim, o.enclose, o.escape
        if esc is not None and esc == enc:
            esc = None  # a doubled enclose already escapes it
        n = len(data)
        i = 0
        fields = []
        field = bytearray()
        fstart = 0
        quoted = False
        in_q = False
        row_start = 0

        def end_field(end):
            raw = data[fstart:end]
            if not quoted and raw == b"\\N":
                fields.append(None)
            else:
                f = bytes(field)
                if o.trim_space and not quoted:
                    f = f.strip(b" ")
                fields.append(f)

        while i < n:
            c = data[i]
            if in_q:
                if esc is not None and c == esc and i + 1 < n:
                    field.append(data[i + 1])
                    i += 2
                    continue
                if c == enc:
                    if i + 1 < n and data[i + 1] == enc:
                        field.append(enc)
                        i += 2
                        continue
                    in_q = False
                    i += 1
                    continue
                field.append(c)
                i += 1
                continue
            if esc is not None and c == esc and i + 1 < n and not data.startswith(b"\\N", i):
                field.append(data[i + 1])
                i += 2
                continue
            if enc is not None and c == enc and not field and not quoted:
                in_q = quoted = True
                i += 1
                continue
            if data.startswith(sep, i):
                end_field(i)
                field = bytearray()
                quoted = False
                i += len(sep)
                fstart = i
                continue
            if data.startswith(rd, i):
                end_field(i)
                self._csv_fields(fields, data[row_start:i])
                fields = []
                field = bytearray()
                quoted = False
                i += len(rd)
                fstart = row_start = i
                continue
            field.append(c)
            i += 1
        if fields or field or quoted or fstart < n:
            end_field(n)
            self._csv_fields(fields, data[row_start:n])

    def _csv_fields(self, fields, raw):
        if len(fields) == 1 and fields[0] == b"" and not raw:
            return
        if self.skip:
            self.skip -= 1
            return
        self._tick()
        if len(fields) != self.ncols:
            self.reject(raw, "Value count does not match column count. Expect %d, but got %d"
                        % (self.ncols, len(fields)))
            return
        if self.sink:
            self.loaded += 1
            return
        try:
            vals = [None if f is None else f.decode("utf-8") for f in fields]
        except UnicodeDecodeError:
            self.reject(raw, "Invalid UTF-8 data")
            return
        r = self._row_op(vals, raw)
        if r:
            self.writer.add(r[0], [lit(v) for v in r[1]], raw)

    # -- JSON
    def feed_json(self, data):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise LoadFatal("JSON data is not valid UTF-8")
        # Decimal, like StarRocks' own parser: 99999999999999.999999 stays exact.
        dec = json.JSONDecoder(parse_float=Decimal)
        pos, n = 0, len(text)
        docs = []
        while True:
            while pos < n and text[pos] in " \t\r\n":
                pos += 1
            if pos >= n:
                break
            try:
                obj, pos = dec.raw_decode(text, pos)
            except ValueError as e:
                raise LoadFatal("Failed to parse JSON data: %s" % e)
            docs.append(obj)
        for doc in docs:
            if isinstance(doc, list):
                if not self.opts.strip_outer_array:
                    raise LoadFatal("JSON data is an array, strip_outer_array must be set true")
                for obj in doc:
                    self._json_row(obj)
            else:
                if self.opts.strip_outer_array:
                    raise LoadFatal("JSON data is not an array, but strip_outer_array is set true")
                self._json_row(doc)
            self.check_deadline()

    def _json_row(self, obj):
        self._tick()
        if not isinstance(obj, dict):
            self.reject(json.dumps(obj, default=str), "JSON row is not an object")
            return
        if self.sink:
            self.loaded += 1
            return
        lower = None
        vals = []
        for c in self.data_cols:
            if c in obj:
                vals.append(obj[c])
                continue
            if lower is None:
                lower = {k.lower(): v for k, v in obj.items()}
            vals.append(lower.get(c.lower()))
        raw = json.dumps(obj, ensure_ascii=False, default=str)
        r = self._row_op(vals, raw)
        if r:
            self.writer.add(r[0], [lit(v) for v in r[1]], raw)


def sink_count_csv(chunks, delim, brk, deadline_check):
    """Counts delimiter-terminated records fast; returns rows."""
    rows = 0
    carry = b""
    pending = False
    dl = len(delim)
    for chunk in chunks:
        if not chunk:
            continue
        data = carry + chunk if carry else chunk
        cnt = data.count(delim)
        rows += cnt
        idx = data.rfind(delim) if cnt else -1
        if idx < 0:
            pending = pending or len(data) > 0
            start = 0
        else:
            pending = idx + dl < len(data)
            start = idx + dl
        if dl > 1:
            carry = data[max(start, len(data) - (dl - 1)):]
        if brk is not None and rows > brk:
            raise BreakNow()
        deadline_check()
    if pending:
        rows += 1
    return rows


# ---------------------------------------------------------------------------
# SQL API helpers

def scan_sql(q):
    """Returns (first statement text, leading keyword); raises BadRequest for
    several statements.  Honours quotes and comments."""
    n = len(q)
    i = 0
    end = None
    while i < n:
        c = q[i]
        if c in "'\"`":
            j = i + 1
            while j < n:
                if q[j] == "\\" and c != "`":
                    j += 2
                    continue
                if q[j] == c:
                    if j + 1 < n and q[j + 1] == c:
                        j += 2
                        continue
                    break
                j += 1
            i = j + 1
            continue
        if c == "#" or (c == "-" and q.startswith("-- ", i)) or (c == "-" and q.startswith("--\n", i)):
            j = q.find("\n", i)
            i = n if j < 0 else j + 1
            continue
        if c == "/" and q.startswith("/*", i):
            j = q.find("*/", i + 2)
            i = n if j < 0 else j + 2
            continue
        if c == ";":
            end = i
            break
        i += 1
    stmt = q if end is None else q[:end]
    if end is not None:
        rest = strip_sql_comments(q[end + 1:]).strip().strip(";").strip()
        if rest:
            raise BadRequest("/api/v1/<catalog_name>/<database_name>/sql does not support execute multiple query")
    body = strip_sql_comments(stmt).strip()
    m = re.match(r"[\s(]*([A-Za-z]+)", body)
    kw = m.group(1).lower() if m else ""
    return stmt.strip(), kw


def strip_sql_comments(s):
    out = []
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c in "'\"`":
            j = i + 1
            while j < n and s[j] != c:
                j += 2 if s[j] == "\\" and c != "`" else 1
            out.append(s[i:j + 1])
            i = j + 1
            continue
        if c == "#" or s.startswith("-- ", i) or s.startswith("--\n", i):
            j = s.find("\n", i)
            i = n if j < 0 else j + 1
            out.append(" ")
            continue
        if s.startswith("/*", i):
            j = s.find("*/", i + 2)
            i = n if j < 0 else j + 2
            out.append(" ")
            continue
        out.append(c)
        i += 1
    return "".join(out)


def sr_type_name(field):
    t = field.type_code
    binary = getattr(field, "charsetnr", 0) == 63
    if t == FIELD_TYPE.TINY:
        return "tinyint(4)"
    if t == FIELD_TYPE.SHORT or t == FIELD_TYPE.YEAR:
        return "smallint(6)"
    if t in (FIELD_TYPE.LONG, FIELD_TYPE.INT24):
        return "int(11)"
    if t == FIELD_TYPE.LONGLONG:
        return "bigint(20)"
    if t == FIELD_TYPE.FLOAT:
        return "float"
    if t == FIELD_TYPE.DOUBLE:
        return "double"
    if t in (FIELD_TYPE.NEWDECIMAL, FIELD_TYPE.DECIMAL):
        scale = field.scale
        unsigned = bool(field.flags & 32)
        p = field.length - (1 if scale > 0 else 0) - (0 if unsigned else 1)
        p = max(p, 1)
        kind = "decimal32" if p <= 9 else "decimal64" if p <= 18 else "decimal128"
        return "%s(%d, %d)" % (kind, p, scale)
    if t == FIELD_TYPE.DATE or t == FIELD_TYPE.NEWDATE:
        return "date"
    if t in (FIELD_TYPE.DATETIME, FIELD_TYPE.TIMESTAMP):
        return "datetime"
    if t == FIELD_TYPE.TIME:
        return "time"
    if t == FIELD_TYPE.JSON:
        return "json"
    if t == FIELD_TYPE.NULL:
        return "null_type"
    if t == FIELD_TYPE.BIT:
        return "varbinary"
    if t in (FIELD_TYPE.STRING,) and not binary:
        return "char"
    return "varbinary" if binary else "varchar"


def json_value(v):
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, Decimal):
        return str(v)
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S.%f" if v.microsecond else "%Y-%m-%d %H:%M:%S")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, timedelta):
        secs = int(v.total_seconds())
        sign = "-" if secs < 0 else ""
        secs = abs(secs)
        return "%s%02d:%02d:%02d" % (sign, secs // 3600, secs // 60 % 60, secs % 60)
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).decode("utf-8", "replace")
    if isinstance(v, (set, frozenset)):
        return ",".join(sorted(v))
    return str(v)


def show_value(v):
    if v is None:
        return None
    j = json_value(v)
    return j if isinstance(j, str) else json.dumps(j)


def session_literal(v):
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    s = str(v)
    if re.fullmatch(r"-?\d+(\.\d+)?", s):
        return s
    if s.lower() in ("true", "on"):
        return "ON"
    if s.lower() in ("false", "off"):
        return "OFF"
    return qs(s)


# ---------------------------------------------------------------------------
# emulator state

class Txn:
    def __init__(self, db, table, label, txn_id, creds, timeout, headers):
        self.db = db
        self.table = table
        self.label = label
        self.txn_id = txn_id
        self.creds = creds
        self.timeout = timeout
        self.begin_ts = time.time()
        self.prepared_ts = None
        self.state = "PREPARE"
        self.lock = threading.Lock()
        self.loads = []          # list of (LoadOptions, bytes)
        self.sink_rows = 0
        self.bytes = 0
        self.conn = None         # held open between prepare and commit
        self.result = None
        self.max_filter_ratio = None
        mfr = headers.get("max_filter_ratio")
        if mfr:
            try:
                self.max_filter_ratio = float(mfr)
            except ValueError:
                pass
        self.prepared_timeout = 86400
        pt = headers.get("prepared_timeout")
        if pt and pt.isdigit():
            self.prepared_timeout = int(pt)


class Emulator:
    def __init__(self, args):
        self.args = args
        self.pool = Pool(args.mysql_host, args.mysql_port)
        self.meta = sr_sql.MetaStore(args.mysql_host, args.mysql_port, args.mysql_user, args.mysql_password)
        self.cfg_lock = threading.Lock()
        self.config = dict(DEFAULT_CONFIG)
        self.lock = threading.Lock()
        self.labels = {}                 # (db, label) -> dict
        self.txns = {}                   # label -> Txn
        self.error_logs = collections.OrderedDict()
        self.auth_cache = {}
        self.next_txn_id = 1000
        self.reset_stats()

    # -- config
    def set_config(self, updates):
        norm = {k: normalize_config(k, v) for k, v in updates.items()}
        with self.cfg_lock:
            self.config.update(norm)
            return dict(self.config)

    def get_config(self):
        with self.cfg_lock:
            return dict(self.config)

    def cfg(self, key):
        with self.cfg_lock:
            return self.config[key]

    def _consume(self, count_key, reset):
        """Called with cfg_lock held when a counted fault fires."""
        c = self.config[count_key]
        if c > 0:
            c -= 1
            self.config[count_key] = c
            if c == 0:
                for k, v in reset.items():
                    self.config[k] = v

    def take_fe_failure(self):
        with self.cfg_lock:
            mode = self.config["fe_failed_mode"]
            if mode:
                self._consume("fe_failed_count", {"fe_failed_mode": None})
            return mode

    def peek_break(self, scope):
        with self.cfg_lock:
            n = self.config["break_after_rows"]
            if n is None or self.config["break_scope"] not in ("all", scope):
                return None
            return n

    def consume_break(self):
        with self.cfg_lock:
            if self.config["break_after_rows"] is not None:
                self._consume("break_count", {"break_after_rows": None})
        self.bump("breaks")

    def take_txn_delay(self, op):
        """Seconds to wait before doing transaction step op (fault injection)."""
        with self.cfg_lock:
            if self.config["txn_delay_op"] != op or self.config["txn_delay_seconds"] <= 0:
                return 0.0
            s = self.config["txn_delay_seconds"]
            self._consume("txn_delay_count", {"txn_delay_op": None, "txn_delay_seconds": 0.0})
            return s

    def take_stall(self):
        with self.cfg_lock:
            s = self.config["stall_seconds"]
            if s > 0:
                self._consume("stall_count", {"stall_seconds": 0.0})
            return s

    # -- stats
    def reset_stats(self):
        with self.lock:
            self.stats = {
                "started_at": time.strftime("%Y-%m-%d %H:%M:%S"),
                "fe_requests": 0, "fe_redirects": 0, "fe_injected_failures": 0,
                "loads": 0, "loads_success": 0, "loads_failed": 0, "loads_label_exists": 0,
                "loads_aborted": 0, "breaks": 0, "stalls": 0, "txn_delays": 0,
                "rows_total": 0, "rows_loaded": 0, "rows_filtered": 0, "bytes": 0,
                "txn_begun": 0, "txn_committed": 0, "txn_rolled_back": 0, "txn_aborted": 0,
                "sql_queries": 0, "sql_errors": 0, "auth_failures": 0,
                "mysql_connections": 0, "mysql_tls_connections": 0, "mysql_queries": 0,
                "mysql_errors": 0, "mysql_refused": 0,
                "ignored_session_variables": [],
                "labels": collections.OrderedDict(),
            }

    def bump(self, key, n=1):
        with self.lock:
            self.stats[key] += n

    def record_result(self, db, res, kind="stream"):
        with self.lock:
            st = self.stats
            status = res.get("Status")
            if kind == "stream":
                st["loads"] += 1
                if status in ("Success", "Publish Timeout"):
                    st["loads_success"] += 1
                elif status == "Label Already Exists":
                    st["loads_label_exists"] += 1
                else:
                    st["loads_failed"] += 1
            if status in ("Success", "Publish Timeout", "OK", "PUBLISH_TIMEOUT"):
                st["rows_loaded"] += res.get("NumberLoadedRows", 0)
            st["rows_total"] += res.get("NumberTotalRows", 0)
            st["rows_filtered"] += res.get("NumberFilteredRows", 0)
            st["bytes"] += res.get("LoadBytes", 0)
            if status != "Label Already Exists":
                key = "%s/%s" % (db, res.get("Label"))
                labels = st["labels"]
                labels.pop(key, None)
                labels[key] = {k: res[k] for k in ("Status", "Message", "NumberTotalRows",
                                                   "NumberLoadedRows", "NumberFilteredRows",
                                                   "LoadBytes", "TxnId") if k in res}
                labels[key]["kind"] = kind
                while len(labels) > MAX_LABEL_STATS:
                    labels.popitem(last=False)

    def stats_snapshot(self):
        with self.lock:
            s = json.loads(json.dumps(self.stats))
            s["active_transactions"] = len(self.txns)
            s["labels_known"] = len(self.labels)
        return s

    def reset_state(self):
        with self.lock:
            txns = list(self.txns.values())
            self.txns.clear()
            self.labels.clear()
            self.error_logs.clear()
        for t in txns:
            close_quietly(t.conn)
        self.reset_stats()

    # -- labels
    def new_txn_id(self):
        with self.lock:
            self.next_txn_id += 1
            return self.next_txn_id

    def label_begin(self, db, label, kind):
        """Registers a running label; returns (txn_id, None) or (None, existing job status)."""
        with self.lock:
            e = self.labels.get((db, label))
            if e is not None:
                st = self._label_state(e)
                if st != "ABORTED":
                    return None, ("RUNNING" if st in ("PREPARE", "PREPARED") else "FINISHED")
            self.next_txn_id += 1
            self.labels[(db, label)] = {"state": "PREPARE", "txn_id": self.next_txn_id,
                                        "kind": kind, "reason": "", "visible_at": None}
            return self.next_txn_id, None

    def label_set(self, db, label, state, reason="", visible_at=None):
        with self.lock:
            e = self.labels.get((db, label))
            if e is None:
                e = self.labels[(db, label)] = {"txn_id": -1, "kind": "stream"}
            e["state"] = state
            e["reason"] = reason
            e["visible_at"] = visible_at

    @staticmethod
    def _label_state(e):
        if e["state"] == "COMMITTED" and e.get("visible_at") and time.time() >= e["visible_at"]:
            e["state"] = "VISIBLE"
        return e["state"]

    def label_state(self, db, label):
        with self.lock:
            e = self.labels.get((db, label))
            if e is None:
                return "UNKNOWN", ""
            return self._label_state(e), e.get("reason", "")

    # -- error logs
    def store_error_log(self, lines):
        fid = "error_log_%s" % uuid.uuid4().hex
        with self.lock:
            self.error_logs[fid] = lines
            while len(self.error_logs) > MAX_ERROR_LOGS:
                self.error_logs.popitem(last=False)
        return "%s://127.0.0.1:%d/api/_load_error_log?file=%s" % (self.args.scheme, self.args.be_port, fid)

    # -- auth
    def authenticate(self, user, password):
        """True, or False for bad credentials; raises on MariaDB trouble."""
        key = (user, password)
        now = time.monotonic()
        with self.lock:
            exp = self.auth_cache.get(key)
            if exp and exp > now:
                return True
        try:
            conn = self.pool.connect(user, password)
        except pymysql.MySQLError as e:
            if mysql_errno(e) in (1045, 1044, 1698, 1251, 4151):
                return False
            raise
        self.pool.put(user, password, conn)
        with self.lock:
            self.auth_cache[key] = now + 30.0
        return True

    # -- transactions (reaper)
    def reap_txns(self):
        now = time.time()
        with self.lock:
            txns = list(self.txns.values())
        for t in txns:
            if t.state == "PREPARE":
                expired = t.timeout > 0 and now - t.begin_ts > t.timeout
            elif t.state == "PREPARED":
                expired = t.prepared_timeout > 0 and now - (t.prepared_ts or now) > t.prepared_timeout
            else:
                expired = False
            if expired and t.lock.acquire(blocking=False):
                try:
                    self.abort_txn(t, "transaction is aborted by timeout.")
                finally:
                    t.lock.release()

    def abort_txn(self, t, reason):
        if t.conn is not None:
            try:
                t.conn.rollback()
            except Exception:
                pass
            close_quietly(t.conn)
            t.conn = None
        t.loads = []
        t.state = "ABORTED"
        self.label_set(t.db, t.label, "ABORTED", reason)
        with self.lock:
            if self.txns.get(t.label) is t:
                del self.txns[t.label]
        self.bump("txn_aborted")


# ---------------------------------------------------------------------------
# HTTP

def load_result(label, txn_id=-1):
    return collections.OrderedDict([
        ("TxnId", txn_id), ("Label", label), ("Status", "Fail"), ("Message", ""),
        ("NumberTotalRows", 0), ("NumberLoadedRows", 0), ("NumberFilteredRows", 0),
        ("NumberUnselectedRows", 0), ("LoadBytes", 0), ("LoadTimeMs", 0), ("BeginTxnTimeMs", 0),
        ("StreamLoadPlanTimeMs", 0), ("ReadDataTimeMs", 0), ("WriteDataTimeMs", 0),
        ("CommitAndPublishTimeMs", 0)])


def rest_fail(msg):
    return collections.OrderedDict([("status", "FAILED"), ("code", "1"), ("msg", msg), ("message", msg)])


def rest_ok(**extra):
    d = collections.OrderedDict([("status", "OK"), ("code", "0"), ("msg", "Success"), ("message", "OK")])
    d.update(extra)
    return d


ROUTES_FE = [
    ("stream_load", re.compile(r"^/api/([^/]+)/([^/]+)/_stream_load$")),
    ("txn", re.compile(r"^/api/transaction/(begin|load|prepare|commit|rollback)$")),
    ("load_state", re.compile(r"^/api/([^/]+)/get_load_state$")),
    ("sql", re.compile(r"^/api/v1/catalogs/([^/]+)/databases/([^/]+)/sql$")),
    ("sql", re.compile(r"^/api/v1/catalogs/([^/]+)/sql$")),
    ("sql", re.compile(r"^/api/v2/([^/]+)/([^/]+)/sql$")),
    ("sql", re.compile(r"^/api/v2/([^/]+)/sql$")),
]
ROUTES_BE = [
    ("stream_load", re.compile(r"^/api/([^/]+)/([^/]+)/_stream_load$")),
    ("txn", re.compile(r"^/api/transaction/(begin|load|prepare|commit|rollback)$")),
    ("error_log", re.compile(r"^/api/_load_error_log$")),
]
ROUTES_COMMON = [
    ("control", re.compile(r"^/_emulator/(config|stats|reset)$")),
    ("health", re.compile(r"^/api/health$")),
]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "StarRocksEmulator/1.0"
    sys_version = ""

    def version_string(self):
        return self.server_version
    timeout = 300
    emu = None
    role = None

    def setup(self):
        # With --tls-cert, the TLS handshake of each connection runs here.
        if hasattr(self.request, "do_handshake"):
            self.request.settimeout(30)
            self.request.do_handshake()
        super().setup()

    # We send (or never send) 100 Continue ourselves.
    def handle_expect_100(self):
        return True

    def log_message(self, fmt, *args):
        LOG.debug("%s %s - %s", self.role, self.address_string(), fmt % args)

    def do_GET(self):
        self.dispatch("GET")

    def do_PUT(self):
        self.dispatch("PUT")

    def do_POST(self):
        self.dispatch("POST")

    def do_DELETE(self):
        self.dispatch("DELETE")

    # -- plumbing
    def dispatch(self, method):
        self.method = method
        self.responded = False
        self.body_pending = self._has_body()
        url = urlsplit(self.path)
        self.url_path = url.path
        self.query_string = url.query
        self.query = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        routes = (ROUTES_FE if self.role == "FE" else ROUTES_BE) + ROUTES_COMMON
        try:
            for name, rx in routes:
                m = rx.match(url.path)
                if m:
                    args = [unquote(g) for g in m.groups()]
                    getattr(self, "h_" + name)(*args)
                    break
            else:
                self.send_json(404, rest_fail("Not found: %s %s" % (method, url.path)))
        except BreakNow:
            self.abort_connection()
        except ClientGone:
            LOG.info("%s %s %s: client went away", self.role, method, url.path)
            self.close_connection = True
        except BadRequest as e:
            if not self.responded:
                self.send_json(e.code, rest_fail(e.msg))
            else:
                self.close_connection = True
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as e:  # noqa: BLE001
            LOG.error("%s %s %s: %s\n%s", self.role, method, url.path, e, traceback.format_exc())
            if not self.responded:
                try:
                    self.send_json(500, rest_fail("emulator internal error: %s" % e))
                except Exception:
                    self.close_connection = True
            else:
                self.close_connection = True
        if self.body_pending and not self.close_connection:
            # A response went out without reading the body: the connection
            # cannot be reused.
            self.close_connection = True

    def _has_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return True
        try:
            return int(self.headers.get("Content-Length") or 0) > 0
        except ValueError:
            return True

    def send_bytes(self, code, body, ctype, close=False, headers=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        if close or self.body_pending:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.responded = True
        if self.method != "HEAD":
            self.wfile.write(body)
        LOG.info("%s %s %s -> %d", self.role, self.method, self.path, code)
        if self.close_connection and self.body_pending:
            self.lingering_close()

    def send_json(self, code, obj, close=False, headers=(), pretty=False):
        body = json.dumps(obj, indent=4 if pretty else None, ensure_ascii=False).encode("utf-8")
        self.send_bytes(code, body, "application/json; charset=utf-8", close, headers)

    def lingering_close(self):
        """Shut our side, then drain what the client still sends for a
        moment so that it reads our response instead of a reset."""
        sock = self.connection
        try:
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            return
        deadline = time.monotonic() + 2.0
        total = 0
        try:
            sock.settimeout(0.5)
            while time.monotonic() < deadline and total < (64 << 20):
                d = sock.recv(65536)
                if not d:
                    break
                total += len(d)
        except OSError:
            pass

    def abort_connection(self):
        """Close abruptly (RST)."""
        LOG.info("%s %s %s: closing connection abruptly (fault injection)", self.role, self.method, self.path)
        sock = self.connection
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        self.hard_close()

    def hard_close(self):
        self.close_connection = True
        try:
            self.connection.close()
        except OSError:
            pass
        try:
            self.rfile.close()
        except Exception:
            pass

    def send_100(self):
        if (self.headers.get("Expect") or "").lower() == "100-continue" and self.request_version >= "HTTP/1.1":
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")

    def iter_body(self, counter=None):
        """Yields the request body in pieces (Content-Length or chunked).
        body_pending stays true until the whole body has been read."""
        rf = self.rfile
        try:
            if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
                while True:
                    line = rf.readline(65537)
                    if not line:
                        raise ClientGone()
                    try:
                        size = int(line.split(b";", 1)[0].strip(), 16)
                    except ValueError:
                        raise ClientGone()
                    if size == 0:
                        while True:
                            t = rf.readline(65537)
                            if not t:
                                raise ClientGone()
                            if t in (b"\r\n", b"\n"):
                                break
                        self.body_pending = False
                        return
                    while size > 0:
                        d = rf.read(min(size, READ_CHUNK))
                        if not d:
                            raise ClientGone()
                        size -= len(d)
                        if counter is not None:
                            counter[0] += len(d)
                        yield d
                    if rf.read(2) not in (b"\r\n",):
                        raise ClientGone()
            else:
                try:
                    remaining = int(self.headers.get("Content-Length") or 0)
                except ValueError:
                    raise ClientGone()
                while remaining > 0:
                    d = rf.read(min(remaining, READ_CHUNK))
                    if not d:
                        raise ClientGone()
                    remaining -= len(d)
                    if counter is not None:
                        counter[0] += len(d)
                    yield d
                self.body_pending = False
        except (socket.timeout, TimeoutError, ConnectionError, OSError) as e:
            raise ClientGone() from e

    def read_body(self, limit=64 << 20):
        self.send_100()
        parts, total = [], 0
        for d in self.iter_body():
            total += len(d)
            if total > limit:
                raise BadRequest("request body too large", 413)
            parts.append(d)
        return b"".join(parts)

    def auth_creds(self):
        """(user, password) or None after sending 401 / 500."""
        h = self.headers.get("Authorization") or ""
        if not h.lower().startswith("basic "):
            self.emu.bump("auth_failures")
            self.send_json(401, rest_fail("Need auth information."), close=True,
                           headers=[("WWW-Authenticate", 'Basic realm=""')])
            return None
        try:
            raw = base64.b64decode(h[6:].strip(), validate=False)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode("latin-1")
            user, _, pw = text.partition(":")
        except Exception:
            user, pw = "", ""
        if not user:
            self.emu.bump("auth_failures")
            self.send_json(401, rest_fail("Invalid Basic authorization"), close=True,
                           headers=[("WWW-Authenticate", 'Basic realm=""')])
            return None
        try:
            ok = self.emu.authenticate(user, pw)
        except pymysql.MySQLError as e:
            self.send_json(500, rest_fail("cannot reach MariaDB: %s" % mysql_msg(e)), close=True)
            return None
        if not ok:
            self.emu.bump("auth_failures")
            self.send_json(401, rest_fail("Access denied for user '%s'. Please check your password." % user),
                           close=True, headers=[("WWW-Authenticate", 'Basic realm=""')])
            return None
        return user, pw

    # -- common endpoints
    def h_health(self):
        self.send_json(200, rest_ok())

    def h_control(self, what):
        emu = self.emu
        if what == "config":
            if self.method == "GET":
                self.send_json(200, emu.get_config())
                return
            if self.method not in ("POST", "PUT"):
                raise BadRequest("use GET or POST", 405)
            body = self.read_body()
            updates = {}
            if body.strip():
                try:
                    updates = json.loads(body)
                except ValueError as e:
                    raise BadRequest("malformed json: %s" % e)
                if not isinstance(updates, dict):
                    raise BadRequest("a JSON object is expected")
            for k, v in self.query.items():
                updates[k] = None if v in ("null", "") else v
            cfg = emu.set_config(updates)
            LOG.info("config changed: %s -> %s", updates, cfg)
            self.send_json(200, cfg)
        elif what == "stats":
            self.send_json(200, emu.stats_snapshot())
        else:
            if self.method not in ("POST", "PUT"):
                raise BadRequest("use POST", 405)
            self.read_body()
            emu.reset_state()
            self.send_json(200, rest_ok())

    # -- FE
    def fe_inject_failure(self):
        mode = self.emu.take_fe_failure()
        if not mode:
            return False
        self.emu.bump("fe_injected_failures")
        msg = "emulator: injected FE failure"
        if mode == "500":
            self.send_json(500, rest_fail(msg), close=True)
        else:
            self.send_json(200, collections.OrderedDict([("Status", "FAILED"), ("Message", msg)]), close=True)
        return True

    def fe_redirect(self, need_expect):
        self.emu.bump("fe_requests")
        if self.fe_inject_failure():
            return
        if need_expect and (self.headers.get("Expect") or "").lower() != "100-continue":
            self.send_json(200, collections.OrderedDict([
                ("Status", "FAILED"),
                ("Message", "Failed to load data: There is no 100-continue header")]), close=True)
            return
        if self.auth_creds() is None:
            return
        host = self.emu.cfg("be_advertise_host") or "127.0.0.1"
        loc = "%s://%s:%d%s" % (self.emu.args.scheme, host, self.emu.args.be_port, self.url_path)
        if self.query_string:
            loc += "?" + self.query_string
        self.emu.bump("fe_redirects")
        # never 100 Continue, never read the body; close.
        self.send_bytes(307, b"", "text/plain; charset=utf-8", close=True, headers=[("Location", loc)])

    def h_stream_load(self, db, table):
        if self.method != "PUT":
            raise BadRequest("stream load needs PUT", 405)
        if self.role == "FE":
            self.fe_redirect(need_expect=True)
        else:
            self.be_stream_load(db, table)

    def h_txn(self, op):
        if self.role == "FE":
            self.fe_redirect(need_expect=(op == "load"))
        else:
            self.be_txn(op)

    def h_load_state(self, db):
        creds = self.auth_creds()
        if creds is None:
            return
        label = self.query.get("label")
        if not label:
            self.send_json(200, rest_fail("No label selected."))
            return
        conn = self.emu.pool.get(*creds)
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME=%s", (db,))
                exists = bool(cur.fetchall())
        finally:
            self.emu.pool.put(creds[0], creds[1], conn)
        if not exists:
            self.send_json(200, rest_fail("unknown database, database=%s" % db))
            return
        state, reason = self.emu.label_state(db, label)
        self.send_json(200, rest_ok(state=state, reason=reason))

    # -- BE: stream load
    def be_fail_early(self, res, msg):
        res["Status"] = "Fail"
        res["Message"] = msg
        self.send_json(200, res, close=True, pretty=True)

    def be_stream_load(self, db, table):
        emu = self.emu
        t_start = time.monotonic()
        creds = self.auth_creds()
        if creds is None:
            return
        label = self.headers.get("label") or str(uuid.uuid4())
        res = load_result(label)
        if not LABEL_RE.match(label):
            self.be_fail_early(res, "Invalid label format: %s. Label must match ^[-_A-Za-z0-9]{1,128}$" % label)
            emu.record_result(db, res)
            return
        conn = None
        txn_id = None
        try:
            conn = emu.pool.get(*creds)
            t_plan = time.monotonic()
            try:
                schema = load_schema(conn, db, table, emu.meta)
                opts = parse_load_options(self.headers, schema)
            except LoadFatal as e:
                self.be_fail_early(res, str(e))
                emu.record_result(db, res)
                return
            res["StreamLoadPlanTimeMs"] = int((time.monotonic() - t_plan) * 1000)
            t_begin = time.monotonic()
            txn_id, existing = emu.label_begin(db, label, "stream")
            if txn_id is None:
                res["Status"] = "Label Already Exists"
                res["ExistingJobStatus"] = existing
                res["Message"] = "Label [%s] has already been used." % label
                # key order as in StarRocks
                out = collections.OrderedDict()
                for k, v in res.items():
                    if k == "Message":
                        continue
                    out[k] = v
                    if k == "Status":
                        out["ExistingJobStatus"] = existing
                        out["Message"] = res["Message"]
                self.send_json(200, out, close=True, pretty=True)
                emu.record_result(db, res)
                return
            res["TxnId"] = txn_id
            res["BeginTxnTimeMs"] = int((time.monotonic() - t_begin) * 1000)
            self.run_stream_load(conn, db, table, label, schema, opts, res, t_start)
        finally:
            if conn is not None:
                emu.pool.put(creds[0], creds[1], conn)

    def run_stream_load(self, conn, db, table, label, schema, opts, res, t_start):
        emu = self.emu
        sink = emu.cfg("sink")
        brk = emu.peek_break("load")
        deadline = t_start + opts.timeout
        self.send_100()
        self.maybe_stall(label)
        counter = [0]
        read_ms = [0]

        def timed(gen):
            while True:
                t0 = time.monotonic()
                try:
                    d = next(gen)
                except StopIteration:
                    read_ms[0] += int((time.monotonic() - t0) * 1000)
                    return
                read_ms[0] += int((time.monotonic() - t0) * 1000)
                yield d

        job = None
        began = False
        try:
            if brk == 0:
                raise BreakNow()
            body = timed(self.iter_body(counter))
            job = LoadJob(emu, conn, db, table, schema, opts, brk,
                          deadline, sink)
            if not sink:
                conn.begin()
                began = True
            if sink and opts.format == "csv" and opts.enclose is None and opts.escape is None:
                rows = sink_count_csv(body, opts.row_delim, brk, job.check_deadline)
                job.loaded = max(0, rows - opts.skip_header)
            elif opts.format == "csv" and opts.enclose is None and opts.escape is None:
                job.feed_csv_stream(body)
            elif opts.format == "csv":
                job.feed_csv_enclosed_stream(body)
            else:
                job.feed_json(b"".join(body))
            job.finish()
            job.check_deadline()
        except BreakNow:
            if began:
                self._rollback(conn)
            emu.label_set(db, label, "ABORTED", "connection closed by fault injection")
            emu.consume_break()
            emu.bump("loads_aborted")
            raise
        except ClientGone:
            if began:
                self._rollback(conn)
            emu.label_set(db, label, "ABORTED", "client went away")
            emu.bump("loads_aborted")
            raise
        except LoadFatal as e:
            if began:
                self._rollback(conn)
            emu.label_set(db, label, "ABORTED", str(e))
            self.finish_result(db, res, job, counter[0], read_ms[0], t_start, "Fail", str(e))
            return
        except BaseException:
            if began:
                self._rollback(conn)
            emu.label_set(db, label, "ABORTED", "internal error")
            raise
        # A client that gave up (closed its side) cancels the load, as with
        # StarRocks; checked before the point of no return.
        if self.peer_closed():
            if began:
                self._rollback(conn)
            emu.label_set(db, label, "ABORTED", "client went away")
            emu.bump("loads_aborted")
            raise ClientGone()
        # decide
        total = job.total
        if job.filtered and job.filtered > total * opts.max_filter_ratio:
            if began:
                self._rollback(conn)
            emu.label_set(db, label, "ABORTED", "too many filtered rows")
            self.finish_result(db, res, job, counter[0], read_ms[0], t_start, "Fail", "too many filtered rows")
            return
        t_commit = time.monotonic()
        if began:
            try:
                conn.commit()
            except pymysql.MySQLError as e:
                self._rollback(conn)
                emu.label_set(db, label, "ABORTED", "commit failed")
                self.finish_result(db, res, job, counter[0], read_ms[0], t_start, "Fail",
                                   "commit failed: %s" % mysql_msg(e))
                return
        res["CommitAndPublishTimeMs"] = int((time.monotonic() - t_commit) * 1000)
        if emu.cfg("publish_timeout"):
            emu.label_set(db, label, "COMMITTED", "",
                          visible_at=time.time() + emu.cfg("publish_visible_delay"))
            status, msg = "Publish Timeout", "transaction commit successfully, BUT data will be visible later"
        else:
            emu.label_set(db, label, "VISIBLE")
            status, msg = "Success", "OK"
        self.finish_result(db, res, job, counter[0], read_ms[0], t_start, status, msg)

    def peer_closed(self):
        """True if the client has closed (or reset) its side."""
        try:
            p = select.poll()
            p.register(self.connection, select.POLLIN | select.POLLRDHUP)
            for _, ev in p.poll(0):
                if ev & (select.POLLRDHUP | select.POLLHUP | select.POLLERR | select.POLLNVAL):
                    return True
        except (OSError, ValueError):
            return True
        return False

    def maybe_stall(self, label):
        stall = self.emu.take_stall()
        if stall <= 0:
            return
        self.emu.bump("stalls")
        LOG.info("BE: not reading the body of label %s for %.1fs (fault injection)", label, stall)
        end = time.monotonic() + stall
        while True:
            left = end - time.monotonic()
            if left <= 0:
                break
            time.sleep(min(0.1, left))

    @staticmethod
    def _rollback(conn):
        try:
            conn.rollback()
        except Exception:
            close_quietly(conn)

    def finish_result(self, db, res, job, nbytes, read_ms, t_start, status, msg):
        res["Status"] = status
        res["Message"] = msg
        if job is not None:
            res["NumberTotalRows"] = job.total
            res["NumberLoadedRows"] = job.loaded
            res["NumberFilteredRows"] = job.filtered
            if job.writer is not None:
                res["WriteDataTimeMs"] = job.writer.write_ms
        res["LoadBytes"] = nbytes
        res["ReadDataTimeMs"] = read_ms
        res["LoadTimeMs"] = int((time.monotonic() - t_start) * 1000)
        if job is not None and job.errors:
            res["ErrorURL"] = self.emu.store_error_log(job.errors)
        self.emu.record_result(db, res)
        self.send_json(200, res, close=self.close_connection, pretty=True)

    def h_error_log(self):
        fid = self.query.get("file", "")
        with self.emu.lock:
            lines = self.emu.error_logs.get(fid)
        if lines is None:
            self.send_bytes(404, b"error log not found\n", "text/plain; charset=utf-8")
            return
        self.send_bytes(200, ("\n".join(lines) + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    # -- BE: transaction stream load
    def txn_reply(self, status, message, **kw):
        d = collections.OrderedDict([("Status", status)])
        if status == "LABEL_ALREADY_EXISTS":
            d["ExistingJobStatus"] = kw.pop("ExistingJobStatus", "")
        if status == "TXN_IN_PROCESSING":
            d["Label"] = kw.pop("Label", "")
        d["Message"] = message
        for k, v in kw.items():
            d[k] = v
        self.send_json(200, d, close=self.body_pending, pretty=True)
        return d

    def be_txn(self, op):
        emu = self.emu
        creds = self.auth_creds()
        if creds is None:
            return
        label = self.headers.get("label") or ""
        db = self.headers.get("db") or ""
        table = self.headers.get("table") or ""
        if not label:
            self.txn_reply("INVALID_ARGUMENT", "empty label")
            return
        if op == "begin":
            self.txn_delay(op, label)
            self.txn_begin(creds, label, db, table)
            return
        with emu.lock:
            t = emu.txns.get(label)
        if t is None:
            self.txn_reply("TXN_NOT_EXISTS", "Transaction with label %s not exists" % label)
            return
        if t.db != db:
            self.txn_reply("INVALID_ARGUMENT", "Request database %s not equal transaction database %s"
                           % (db, t.db))
            return
        if op == "load" and t.table != table:
            self.txn_reply("INVALID_ARGUMENT", "Request table %s not equal transaction table %s"
                           % (table, t.table))
            return
        if not t.lock.acquire(blocking=False):
            self.txn_reply("TXN_IN_PROCESSING", "Transaction in processing, please retry later", Label=label)
            return
        try:
            # Held with the transaction's lock, as a step held up by a table
            # lock is: other requests on it meanwhile get TXN_IN_PROCESSING.
            self.txn_delay(op, label)
            if t.state not in ("PREPARE", "PREPARED"):
                self.txn_reply("TXN_NOT_EXISTS", "Transaction with label %s not exists" % label)
                return
            if op == "load":
                self.txn_load(t)
            elif op == "rollback":
                emu.abort_txn(t, "transaction is aborted by user.")
                emu.bump("txn_rolled_back")
                emu.record_result(t.db, {"Status": "ABORTED", "Label": label, "TxnId": t.txn_id,
                                         "Message": "rolled back"}, kind="txn")
                self.txn_reply("OK", "", Label=label)
            else:
                self.txn_commit(t, prepare=(op == "prepare"))
        finally:
            t.lock.release()

    def txn_delay(self, op, label):
        delay = self.emu.take_txn_delay(op)
        if delay > 0:
            self.emu.bump("txn_delays")
            LOG.info("BE: holding transaction %s of label %s for %.1fs (fault injection)", op, label, delay)
            time.sleep(delay)

    def txn_begin(self, creds, label, db, table):
        emu = self.emu
        t0 = time.monotonic()
        if not LABEL_RE.match(label):
            self.txn_reply("INVALID_ARGUMENT", "Invalid label format: %s" % label)
            return
        if not db or not table:
            self.txn_reply("INVALID_ARGUMENT", "db and table headers are required")
            return
        timeout = DEFAULT_LOAD_TIMEOUT
        if self.headers.get("timeout"):
            try:
                timeout = int(self.headers.get("timeout"))
            except ValueError:
                self.txn_reply("INVALID_ARGUMENT", "Invalid timeout format")
                return
        conn = emu.pool.get(*creds)
        try:
            load_schema(conn, db, table)
        except LoadFatal as e:
            self.txn_reply("INTERNAL_ERROR", str(e))
            return
        finally:
            emu.pool.put(creds[0], creds[1], conn)
        with emu.lock:
            active = emu.txns.get(label)
        if active is not None:
            self.txn_reply("LABEL_ALREADY_EXISTS", "Label [%s] has already been used." % label,
                           ExistingJobStatus="RUNNING")
            return
        txn_id, existing = emu.label_begin(db, label, "txn")
        if txn_id is None:
            self.txn_reply("LABEL_ALREADY_EXISTS", "Label [%s] has already been used." % label,
                           ExistingJobStatus=existing)
            return
        t = Txn(db, table, label, txn_id, creds, timeout, self.headers)
        with emu.lock:
            emu.txns[label] = t
        emu.bump("txn_begun")
        self.txn_reply("OK", "", Label=label, TxnId=txn_id,
                       BeginTxnTimeMs=int((time.monotonic() - t0) * 1000))

    def txn_load(self, t):
        emu = self.emu
        t0 = time.monotonic()
        if t.state != "PREPARE":
            self.txn_reply("INTERNAL_ERROR", "Transaction [%s] is %s, no more data can be loaded"
                           % (t.label, t.state))
            return
        conn = emu.pool.get(*t.creds)
        try:
            schema = load_schema(conn, t.db, t.table, emu.meta)
            opts = parse_load_options(self.headers, schema)
        except LoadFatal as e:
            self.txn_reply("INTERNAL_ERROR", str(e))
            return
        finally:
            emu.pool.put(t.creds[0], t.creds[1], conn)
        if t.loads and t.loads[0][0].key() != opts.key():
            # TransactionStreamLoadAction::_exec_plan_fragment: every /load
            # of a transaction must send the request of its first one (the
            # plan is made once); a different one fails the transaction.
            emu.abort_txn(t, "load request not equal last.")
            self.txn_reply("INTERNAL_ERROR", "load request not equal last.")
            return
        sink = emu.cfg("sink")
        brk = emu.peek_break("load")
        self.send_100()
        self.maybe_stall(t.label)
        counter = [0]
        try:
            if brk == 0:
                raise BreakNow()
            if sink and opts.format == "csv" and opts.enclose is None and opts.escape is None:
                t.sink_rows += sink_count_csv(self.iter_body(counter), opts.row_delim, brk, lambda: None)
            else:
                data = b"".join(self.iter_body(counter))
                if brk is not None and data.count(opts.row_delim) + 1 > brk and opts.format == "csv":
                    raise BreakNow()
                t.loads.append((opts, data))
        except BreakNow:
            emu.consume_break()
            emu.abort_txn(t, "connection closed by fault injection")
            raise
        except ClientGone:
            emu.abort_txn(t, "client went away during load")
            raise
        t.bytes += counter[0]
        if opts.max_filter_ratio_set and t.max_filter_ratio is None:
            t.max_filter_ratio = opts.max_filter_ratio
        ms = int((time.monotonic() - t0) * 1000)
        self.txn_reply("OK", "", Label=t.label, TxnId=t.txn_id, LoadBytes=counter[0],
                       StreamLoadPlanTimeMs=0, ReceivedDataTimeMs=ms)

    def txn_commit(self, t, prepare):
        emu = self.emu
        t0 = time.monotonic()
        mfr = self.headers.get("max_filter_ratio")
        ratio = t.max_filter_ratio or 0.0
        if mfr:
            try:
                ratio = float(mfr)
            except ValueError:
                pass
        sink = emu.cfg("sink")
        if t.state == "PREPARE":
            if not t.loads and t.bytes == 0:
                emu.abort_txn(t, "no data")
                self.txn_reply("INTERNAL_ERROR", "transaction with label %s hasn't send any data yet" % t.label)
                return
            job = None
            conn = None
            try:
                conn = emu.pool.connect(*t.creds)
                schema = load_schema(conn, t.db, t.table, emu.meta)
                conn.begin()
                total = loaded = filtered = 0
                errors = []
                write_ms = 0
                for group in self._txn_groups(t.loads):
                    opts = group[0][0]
                    job = LoadJob(emu, conn, t.db, t.table, schema, opts, None, None, sink)
                    if opts.format == "json":
                        for _, data in group:
                            job.feed_json(data)
                    elif opts.enclose is None and opts.escape is None:
                        job.feed_csv_stream(d for _, d in group)
                    else:
                        job.feed_csv_enclosed_stream(d for _, d in group)
                    job.finish()
                    loaded += job.loaded
                    filtered += job.filtered
                    errors.extend(job.errors)
                    if job.writer is not None:
                        write_ms += job.writer.write_ms
                loaded += t.sink_rows
                total = loaded + filtered
            except LoadFatal as e:
                close_quietly(conn)
                t.conn = None
                emu.abort_txn(t, str(e))
                self.txn_reply("INTERNAL_ERROR", str(e))
                return
            except pymysql.MySQLError as e:
                close_quietly(conn)
                emu.abort_txn(t, mysql_msg(e))
                self.txn_reply("INTERNAL_ERROR", mysql_msg(e))
                return
            t.loads = []
            err_url = emu.store_error_log(errors) if errors else None
            if filtered and filtered > total * ratio:
                self._rollback(conn)
                close_quietly(conn)
                emu.abort_txn(t, "too many filtered rows")
                kw = {"ErrorURL": err_url} if err_url else {}
                self.txn_reply("INTERNAL_ERROR", "too many filtered rows", **kw)
                emu.record_result(t.db, {"Status": "INTERNAL_ERROR", "Label": t.label, "TxnId": t.txn_id,
                                         "Message": "too many filtered rows", "NumberTotalRows": total,
                                         "NumberFilteredRows": filtered, "LoadBytes": t.bytes}, kind="txn")
                return
            t.conn = conn
            t.result = {"NumberTotalRows": total, "NumberLoadedRows": loaded, "NumberFilteredRows": filtered,
                        "WriteDataTimeMs": write_ms, "ErrorURL": err_url}
            if prepare:
                t.state = "PREPARED"
                t.prepared_ts = time.time()
                emu.label_set(t.db, t.label, "PREPARED")
                self._txn_ok(t, "", t0, 0, record=False)
                return
        elif prepare:
            self.txn_reply("INTERNAL_ERROR", "Transaction [%s] is already PREPARED" % t.label)
            return
        # commit
        t_commit = time.monotonic()
        try:
            t.conn.commit()
        except pymysql.MySQLError as e:
            emu.abort_txn(t, "commit failed")
            self.txn_reply("INTERNAL_ERROR", "commit failed: %s" % mysql_msg(e))
            return
        close_quietly(t.conn)
        t.conn = None
        commit_ms = int((time.monotonic() - t_commit) * 1000)
        with emu.lock:
            if emu.txns.get(t.label) is t:
                del emu.txns[t.label]
        emu.bump("txn_committed")
        if emu.cfg("publish_timeout"):
            t.state = "COMMITTED"
            emu.label_set(t.db, t.label, "COMMITTED", "",
                          visible_at=time.time() + emu.cfg("publish_visible_delay"))
            d = self.txn_reply("PUBLISH_TIMEOUT", "transaction commit successfully, BUT data will be visible later")
            emu.record_result(t.db, dict(d, Label=t.label, TxnId=t.txn_id, LoadBytes=t.bytes,
                                         **{k: v for k, v in t.result.items() if k.startswith("Number")}),
                              kind="txn")
            return
        t.state = "VISIBLE"
        emu.label_set(t.db, t.label, "VISIBLE")
        self._txn_ok(t, "", t0, commit_ms)

    def _txn_ok(self, t, msg, t0, commit_ms, record=True):
        r = t.result
        kw = collections.OrderedDict([
            ("Label", t.label), ("TxnId", t.txn_id),
            ("NumberTotalRows", r["NumberTotalRows"]), ("NumberLoadedRows", r["NumberLoadedRows"]),
            ("NumberFilteredRows", r["NumberFilteredRows"]), ("NumberUnselectedRows", 0),
            ("LoadBytes", t.bytes), ("LoadTimeMs", int((time.monotonic() - t0) * 1000)),
            ("StreamLoadPlanTimeMs", 0), ("ReceivedDataTimeMs", 0),
            ("WriteDataTimeMs", r["WriteDataTimeMs"]), ("CommitAndPublishTimeMs", commit_ms)])
        if r.get("ErrorURL"):
            kw["ErrorURL"] = r["ErrorURL"]
        d = self.txn_reply("OK", msg, **kw)
        if record:
            self.emu.record_result(t.db, d, kind="txn")

    @staticmethod
    def _txn_groups(loads):
        groups = []
        for opts, data in loads:
            if groups and groups[-1][0][0].key() == opts.key() and opts.format == "csv":
                groups[-1].append((opts, data))
            else:
                groups.append([(opts, data)])
        return groups

    # -- FE: HTTP SQL API
    def h_sql(self, catalog, db=None):
        emu = self.emu
        if self.method != "POST":
            raise BadRequest("use POST", 405)
        emu.bump("fe_requests")
        creds = self.auth_creds()
        if creds is None:
            return
        emu.bump("sql_queries")
        self.sql_creds = creds
        body = self.read_body()
        try:
            req = json.loads(body.decode("utf-8") or "null")
            if not isinstance(req, dict):
                raise ValueError("not an object")
        except (ValueError, UnicodeDecodeError):
            emu.bump("sql_errors")
            raise BadRequest("malformed json [ %s ]" % body[:200].decode("utf-8", "replace"))
        query = req.get("query")
        if not isinstance(query, str) or not query.strip():
            emu.bump("sql_errors")
            raise BadRequest('"query can not be empty"')
        if catalog != "default_catalog":
            emu.bump("sql_errors")
            raise BadRequest("only support default_catalog right now")
        svars = req.get("sessionVariables") or {}
        if not isinstance(svars, dict):
            emu.bump("sql_errors")
            raise BadRequest("sessionVariables must be a JSON object")
        try:
            stmt, kw = scan_sql(query)
        except BadRequest:
            emu.bump("sql_errors")
            raise
        if kw not in ("select", "with", "values", "show", "desc", "describe", "explain", "kill"):
            emu.bump("sql_errors")
            raise BadRequest("/api/v1/<catalog_name>/<database_name>/sql only support SELECT, SHOW, EXPLAIN, "
                             "DESC, KILL statement")
        if re.search(r"\binto\s+(outfile|dumpfile)\b", strip_sql_comments(stmt), re.I):
            emu.bump("sql_errors")
            raise BadRequest("/api/v1/<catalog_name>/<database_name>/sql does not support a query with "
                             "OUTFILE clause")
        if re.fullmatch(r"\s*select\s+current_version\s*\(\s*\)\s*", strip_sql_comments(stmt), re.I):
            self.sql_stream_fixed(["current_version()"], ["varchar"], [[emu.args.version_string]], 0)
            return
        try:
            conn = emu.pool.connect(creds[0], creds[1], database=db,
                                    cursorclass=pymysql.cursors.SSCursor, strict=False)
        except pymysql.MySQLError as e:
            emu.bump("sql_errors")
            if mysql_errno(e) in (1049, 1044):
                raise BadRequest("set catalog or db failed", 403)
            raise BadRequest(mysql_msg(e), 500)
        try:
            self.sql_apply_vars(conn, svars)
            if kw in ("show", "desc", "describe"):
                fixed = self.sql_sr_show(db, stmt)
                if fixed is not None:
                    self.send_show(*fixed)
                else:
                    self.sql_show(conn, stmt)
            elif kw == "kill":
                self.sql_exec_watch(conn, stmt)
                self.send_json(200, rest_ok())
            elif kw == "explain":
                self.sql_explain(conn, stmt)
            else:
                self.sql_select(conn, stmt)
        except pymysql.MySQLError as e:
            emu.bump("sql_errors")
            if self.responded:
                self.hard_close()
                return
            raise BadRequest(mysql_msg(e), 500)
        finally:
            close_quietly(conn)

    def sql_apply_vars(self, conn, svars):
        with conn.cursor(pymysql.cursors.Cursor) as cur:
            for k, v in svars.items():
                name = str(k)
                if not IDENT_RE.match(name):
                    raise BadRequest("invalid session variable name: %s" % name)
                if name.lower() == "query_timeout":
                    name, v = "max_statement_time", v
                try:
                    cur.execute("SET SESSION %s = %s" % (name, session_literal(v)))
                except pymysql.MySQLError as e:
                    if mysql_errno(e) == 1193:  # unknown system variable: StarRocks-only name
                        LOG.info("SQL API: ignoring session variable %s unknown to MariaDB", name)
                        with self.emu.lock:
                            ign = self.emu.stats["ignored_session_variables"]
                            if name not in ign and len(ign) < 100:
                                ign.append(name)
                        continue
                    raise

    def sql_exec_watch(self, conn, stmt):
        """Executes stmt; a watcher kills the MariaDB query if the HTTP
        client disconnects meanwhile (StarRocks cancels such queries)."""
        cur = conn.cursor()
        done = threading.Event()
        cid = conn.thread_id()
        creds = self.sql_creds

        def watch():
            while not done.wait(0.2):
                if not self.peer_closed():
                    continue
                LOG.info("SQL API: client went away, killing query %s", cid)
                try:
                    k = self.emu.pool.connect(creds[0], creds[1], strict=False)
                    try:
                        with k.cursor() as kc:
                            kc.execute("KILL QUERY %d" % cid)
                    finally:
                        close_quietly(k)
                except Exception:
                    pass
                return

        w = threading.Thread(target=watch, daemon=True)
        w.start()
        try:
            cur.execute(stmt)
        finally:
            done.set()
        return cur

    def start_ndjson(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson; charset=utf-8")
        self.send_header("X-StarRocks-Query-Id", str(uuid.uuid4()))
        self.chunked = self.request_version >= "HTTP/1.1"
        if self.chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.responded = True
        LOG.info("%s %s %s -> 200 (ndjson)", self.role, self.method, self.path)

    def write_out(self, data):
        if not data:
            return
        if self.chunked:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        else:
            self.wfile.write(data)

    def end_out(self):
        if self.chunked:
            self.wfile.write(b"0\r\n\r\n")

    @staticmethod
    def line(obj):
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"

    def sql_stream_fixed(self, names, types, rows, cid):
        self.start_ndjson()
        out = [self.line({"connectionId": cid}),
               self.line({"meta": [{"name": n, "type": t} for n, t in zip(names, types)]})]
        out += [self.line({"data": r}) for r in rows]
        out.append(self.line({"statistics": {"scanRows": 0, "scanBytes": 0, "returnRows": len(rows)}}))
        self.write_out(b"".join(out))
        self.end_out()

    def sql_select(self, conn, stmt):
        emu = self.emu
        cid = conn.thread_id()
        cur = self.sql_exec_watch(conn, stmt)
        fields = cur._result.fields if cur._result is not None and cur._result.fields else []
        meta = [{"name": f.name, "type": sr_type_name(f)} for f in fields]
        brk = emu.peek_break("sql")
        self.start_ndjson()
        buf = [self.line({"connectionId": cid}), self.line({"meta": meta})]
        size = 0
        nrows = 0
        dumps = json.dumps
        try:
            if fields:
                while True:
                    batch = cur.fetchmany(1000)
                    if not batch:
                        break
                    for r in batch:
                        if brk is not None and nrows >= brk:
                            self.write_out(b"".join(buf))
                            emu.consume_break()
                            LOG.info("SQL API: closing after %d rows (fault injection)", nrows)
                            self.hard_close()
                            return
                        ln = dumps({"data": [json_value(v) for v in r]}, ensure_ascii=False,
                                   separators=(",", ":")).encode("utf-8") + b"\n"
                        buf.append(ln)
                        size += len(ln)
                        nrows += 1
                    if size >= 65536:
                        self.write_out(b"".join(buf))
                        buf, size = [], 0
            if brk is not None and nrows >= brk:
                self.write_out(b"".join(buf))
                emu.consume_break()
                LOG.info("SQL API: closing after %d rows (fault injection)", nrows)
                self.hard_close()
                return
        except pymysql.MySQLError as e:
            # failure after rows began: just close, as StarRocks does
            LOG.info("SQL API: error while streaming (%s); closing", e)
            self.write_out(b"".join(buf))
            emu.bump("sql_errors")
            self.hard_close()
            return
        buf.append(self.line({"statistics": {"scanRows": 0, "scanBytes": 0, "returnRows": nrows}}))
        self.write_out(b"".join(buf))
        self.end_out()

    def sql_sr_show(self, db, stmt):
        """SHOW CREATE TABLE and DESC of a table made through the MySQL
        front, in StarRocks' form: (names, rows), or None."""
        toks = sr_sql.tokenize(stmt)
        p = sr_sql.Parser(toks, stmt)
        try:
            if p.accept_kw("SHOW"):
                if not (p.accept_kw("CREATE") and p.accept_kw("TABLE")):
                    return None
                kind = "create"
            elif p.accept_kw("DESC", "DESCRIBE"):
                kind = "desc"
            else:
                return None
            tdb, tbl = p.qualified_name()
            p.accept_kw("ALL")
            p.accept_op(";")
            if not p.at_end():
                return None
        except sr_sql.SrError:
            return None
        tdb = tdb or db
        if not tdb:
            return None
        td = self.emu.meta.get(tdb, tbl)
        if td is None:
            return None
        if kind == "create":
            return ["Table", "Create Table"], [[tbl, sr_sql.show_create(td)]]
        return sr_sql.desc_rows(td)

    def send_show(self, names, rows):
        data = [collections.OrderedDict(zip(names, r)) for r in rows]
        out = collections.OrderedDict([
            ("meta", [{"name": n, "type": "varchar"} for n in names]),
            ("data", data),
            ("statistics", {"scanRows": 0, "scanBytes": 0, "returnRows": len(rows)})])
        self.send_bytes(200, self.line(out), "application/x-ndjson; charset=utf-8")

    def sql_show(self, conn, stmt):
        cur = self.sql_exec_watch(conn, stmt)
        fields = cur._result.fields if cur._result is not None and cur._result.fields else []
        names = [f.name for f in fields]
        rows = cur.fetchall() if fields else []
        data = [collections.OrderedDict((n, show_value(v)) for n, v in zip(names, r)) for r in rows]
        out = collections.OrderedDict([
            ("meta", [{"name": n, "type": "varchar"} for n in names]),
            ("data", data),
            ("statistics", {"scanRows": 0, "scanBytes": 0, "returnRows": len(rows)})])
        self.send_bytes(200, self.line(out), "application/x-ndjson; charset=utf-8")

    def sql_explain(self, conn, stmt):
        cid = conn.thread_id()
        cur = self.sql_exec_watch(conn, stmt)
        fields = cur._result.fields if cur._result is not None and cur._result.fields else []
        rows = cur.fetchall() if fields else []
        names = [f.name for f in fields]
        text = "\n".join(" | ".join("%s=%s" % (n, show_value(v)) for n, v in zip(names, r)) for r in rows)
        self.start_ndjson()
        self.write_out(self.line({"connectionId": cid}) + self.line({"explain": text}))
        self.end_out()


class FEHandler(Handler):
    role = "FE"


class BEHandler(Handler):
    role = "BE"


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


# ---------------------------------------------------------------------------
# main

def parse_args(argv):
    p = argparse.ArgumentParser(description="StarRocks FE/BE HTTP emulator backed by MariaDB")
    p.add_argument("--fe-port", type=int, required=True)
    p.add_argument("--be-port", type=int, required=True)
    p.add_argument("--mysql-host", default="127.0.0.1")
    p.add_argument("--mysql-port", type=int, required=True)
    p.add_argument("--mysql-user", required=True)
    p.add_argument("--mysql-password", default="")
    p.add_argument("--pid-file")
    p.add_argument("--log-file")
    p.add_argument("--log-level", default="INFO")
    p.add_argument("--version-string", default="3.3.0-emulator",
                   help="what 'select current_version()' returns on the SQL API")
    # fault injection (same names as the config keys)
    p.add_argument("--fe-failed-mode", choices=["failed", "500"])
    p.add_argument("--fe-failed-count", type=int, default=0)
    p.add_argument("--break-after-rows", type=int)
    p.add_argument("--break-count", type=int, default=0)
    p.add_argument("--break-scope", choices=["all", "load", "sql"], default="all")
    p.add_argument("--stall-seconds", type=float, default=0.0)
    p.add_argument("--stall-count", type=int, default=0)
    p.add_argument("--sink", action="store_true")
    p.add_argument("--publish-timeout", action="store_true")
    p.add_argument("--publish-visible-delay", type=float, default=2.0)
    p.add_argument("--tls-cert", help="serve HTTPS on both ports with this certificate (PEM)")
    p.add_argument("--tls-key", help="its private key (PEM)")
    p.add_argument("--mysql-listen-port", type=int,
                   help="serve StarRocks' MySQL protocol on this port (a front for MariaDB)")
    p.add_argument("--mysql-tls-cert", help="TLS certificate of the MySQL front (default: --tls-cert)")
    p.add_argument("--mysql-tls-key", help="its private key (default: --tls-key)")
    p.add_argument("--allow-prepared-dml", action="store_true",
                   help="MySQL front: accept INSERT in COM_STMT_PREPARE (StarRocks does not)")
    args = p.parse_args(argv)
    args.scheme = "https" if args.tls_cert else "http"
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.mysql_host not in ("127.0.0.1", "localhost", "::1"):
        sys.stderr.write("emulator: only a loopback MariaDB is allowed\n")
        return 2
    logging.basicConfig(
        filename=args.log_file, level=getattr(logging, args.log_level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s [%(threadName)s] %(message)s")
    emu = Emulator(args)
    emu.set_config({
        "fe_failed_mode": args.fe_failed_mode, "fe_failed_count": args.fe_failed_count,
        "break_after_rows": args.break_after_rows, "break_count": args.break_count,
        "break_scope": args.break_scope, "stall_seconds": args.stall_seconds,
        "stall_count": args.stall_count, "sink": args.sink, "publish_timeout": args.publish_timeout,
        "publish_visible_delay": args.publish_visible_delay, "prepared_dml": args.allow_prepared_dml})
    # MariaDB must be reachable.
    deadline = time.monotonic() + 15
    while True:
        try:
            close_quietly(emu.pool.connect(args.mysql_user, args.mysql_password))
            break
        except pymysql.MySQLError as e:
            if time.monotonic() > deadline:
                LOG.error("cannot connect to MariaDB at %s:%d: %s", args.mysql_host, args.mysql_port, e)
                sys.stderr.write("emulator: cannot connect to MariaDB: %s\n" % e)
                return 1
            time.sleep(0.5)
    try:
        emu.meta.ensure()
    except pymysql.MySQLError as e:
        sys.stderr.write("emulator: cannot create the %s database: %s\n" % (sr_sql.META_DB, e))
        return 1

    FEHandler.emu = emu
    BEHandler.emu = emu
    try:
        fe = Server(("127.0.0.1", args.fe_port), FEHandler)
        be = Server(("127.0.0.1", args.be_port), BEHandler)
    except OSError as e:
        sys.stderr.write("emulator: cannot bind: %s\n" % e)
        return 1
    front = None
    if args.mysql_listen_port:
        import mysql_front
        try:
            front = mysql_front.MysqlFront(emu, args.mysql_listen_port, args.mysql_tls_cert or args.tls_cert,
                                           args.mysql_tls_key or args.tls_key)
            front.bind()
        except (OSError, ValueError) as e:
            sys.stderr.write("emulator: cannot bind the MySQL front: %s\n" % e)
            fe.server_close()
            be.server_close()
            return 1
    if args.tls_cert:
        import ssl
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        for srv in (fe, be):
            # The handshake runs in the handler's thread, not in accept().
            srv.socket = ctx.wrap_socket(srv.socket, server_side=True,
                                         do_handshake_on_connect=False)
    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    threads = [threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.2},
                                name=n, daemon=True) for s, n in ((fe, "fe"), (be, "be"))]
    if front is not None:
        threads.append(threading.Thread(target=front.serve_forever, name="mysql", daemon=True))
    for t in threads:
        t.start()
    if args.pid_file:
        tmp = args.pid_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % os.getpid())
        os.replace(tmp, args.pid_file)
    LOG.info("StarRocks emulator up: FE 127.0.0.1:%d, BE 127.0.0.1:%d, MySQL front %s, MariaDB %s:%d (pid %d)",
             args.fe_port, args.be_port, "127.0.0.1:%d" % args.mysql_listen_port if front else "off",
             args.mysql_host, args.mysql_port, os.getpid())
    while not stop.wait(1.0):
        try:
            emu.reap_txns()
        except Exception as e:  # noqa: BLE001
            LOG.error("txn reaper: %s", e)
    LOG.info("stopping")
    if front is not None:
        front.stop()
    for s in (fe, be):
        s.shutdown()
        s.server_close()
    with emu.lock:
        txns = list(emu.txns.values())
    for t in txns:
        close_quietly(t.conn)
    emu.pool.close_all()
    emu.meta.close_all()
    if args.pid_file:
        try:
            os.unlink(args.pid_file)
        except OSError:
            pass
    LOG.info("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
