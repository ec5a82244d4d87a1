#!/usr/bin/env python3
"""A PostgreSQL server that lies: each connection plays the scenario named by
the database it asks for, answering datastore's statements with shapes a real
server never sends (a catalog lookup with the wrong columns, NULLs and words
where OIDs belong, rows whose shape changes, values that are not their type,
a flood of notices, messages that are not valid UTF-8, links cut mid-row).

Tests only (test/t/hostile_pg.sh).  Standard library only.  It speaks the v3
protocol with cleartext password authentication (so libpq reports that the
password was used), refuses SSL and GSS encryption, and logs each statement
as one JSON object per line to --log.
"""
import json
import socket
import struct
import threading

import fakelib

INT4, TEXT, INT4ARRAY, OID, NAME = 23, 25, 1007, 26, 19
LOG_LOCK = threading.Lock()


class Conn:
    def __init__(self, sock, log):
        self.sock = sock
        self.log = log
        self.db = ""
        self.in_xact = False

    def note(self, **kw):
        kw["db"] = self.db
        with LOG_LOCK, open(self.log, "a") as f:
            f.write(json.dumps(kw) + "\n")

    def recv_exact(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise EOFError
            buf += chunk
        return buf

    def msg(self, kind, body=b""):
        self.sock.sendall(kind + struct.pack("!I", len(body) + 4) + body)

    def read_msg(self):
        kind = self.recv_exact(1)
        n = struct.unpack("!I", self.recv_exact(4))[0]
        return kind, self.recv_exact(n - 4)

    def ready(self):
        self.msg(b"Z", b"T" if self.in_xact else b"I")

    def complete(self, tag):
        self.msg(b"C", tag.encode() + b"\x00")

    def rowdesc(self, cols):
        body = struct.pack("!H", len(cols))
        for name, typ in cols:
            body += name.encode() + b"\x00" + struct.pack("!IhIhih", 0, 0, typ, -1, -1, 0)
        self.msg(b"T", body)

    def datarow(self, values):
        body = struct.pack("!H", len(values))
        for v in values:
            body += struct.pack("!i", -1) if v is None else struct.pack("!i", len(v)) + v
        self.msg(b"D", body)

    def error(self, code, message, severity=b"ERROR"):
        self.msg(b"E", b"S" + severity + b"\x00V" + severity + b"\x00C" + code + b"\x00M" + message + b"\x00\x00")

    def notice(self, message):
        self.msg(b"N", b"SNOTICE\x00VNOTICE\x00C00000\x00M" + message + b"\x00\x00")

    def startup(self):
        while True:
            n = struct.unpack("!I", self.recv_exact(4))[0]
            body = self.recv_exact(n - 4)
            code = struct.unpack("!I", body[:4])[0]
            if code in (80877103, 80877104):    # SSLRequest, GSSENCRequest
                self.sock.sendall(b"N")
                continue
            break
        parts = body[4:].split(b"\x00")
        params = dict(zip(parts[0::2], parts[1::2]))
        self.db = params.get(b"database", b"").decode("utf-8", "replace")
        self.msg(b"R", struct.pack("!I", 3))           # cleartext password, please
        kind, _ = self.read_msg()
        if kind != b"p":
            raise EOFError
        self.msg(b"R", struct.pack("!I", 0))
        for k, v in ((b"server_version", b"15.99"), (b"server_encoding", b"UTF8"),
                     (b"client_encoding", b"UTF8"), (b"DateStyle", b"ISO, MDY"),
                     (b"IntervalStyle", b"postgres"), (b"integer_datetimes", b"on"),
                     (b"standard_conforming_strings", b"on"), (b"TimeZone", b"UTC")):
            self.msg(b"S", k + b"\x00" + v + b"\x00")
        self.msg(b"K", struct.pack("!II", 4242, 1))
        self.note(event="connect")
        self.ready()


def serve(conn):
    try:
        conn.startup()
        pending = None
        while True:
            kind, body = conn.read_msg()
            if kind == b"X":
                return
            if kind == b"Q":
                sql = body.rstrip(b"\x00").decode("utf-8", "replace")
                conn.note(event="query", sql=sql)
                simple(conn, sql)
            elif kind == b"P":
                pending = body[body.index(b"\x00") + 1:].split(b"\x00")[0].decode("utf-8", "replace")
                conn.note(event="parse", sql=pending)
                conn.msg(b"1")
            elif kind == b"B":
                conn.msg(b"2")
            elif kind in (b"D", b"H"):
                pass
            elif kind == b"E":
                extended(conn, pending or "")
            elif kind == b"S":
                conn.ready()
    except (EOFError, ConnectionError, OSError):
        pass
    finally:
        try:
            conn.sock.close()
        except OSError:
            pass


def simple(conn, sql):
    if "amopstrategy" in sql:
        key_equality(conn)
        conn.ready()
        return
    up = sql.strip().upper()
    if up == "":
        conn.msg(b"I")
        conn.ready()
        return
    if up.startswith("SET ") and "DATESTYLE" in up:
        if conn.db == "rows_for_set":
            # Rows nobody asked for, by the hundred thousand.
            conn.rowdesc([("a", TEXT)])
            row = b"D" + struct.pack("!IHi", 4 + 2 + 4 + 100, 1, 100) + b"x" * 100
            conn.sock.sendall(row * 200000)
            conn.complete("SELECT 200000")
        for _ in range(3):
            conn.complete("SET")
        conn.ready()
        return
    if up.startswith("BEGIN"):
        conn.in_xact = True
        conn.complete("BEGIN")
        conn.complete("SET")
        conn.complete("SET")
        conn.ready()
        return
    if up in ("COMMIT", "ROLLBACK"):
        conn.in_xact = False
        conn.complete(up)
        conn.ready()
        return
    if up.startswith("COPY"):
        if conn.db == "copy_out_instead":
            conn.msg(b"H", struct.pack("!bH", 0, 0))
            conn.ready()
            return
        binary = "BINARY" in up
        conn.msg(b"G", struct.pack("!bH", 1 if binary else 0, 0))
        n = 0
        while True:
            kind, body = conn.read_msg()
            if kind == b"d":
                n += len(body)
            elif kind in (b"c", b"f"):
                break
        conn.note(event="copy", bytes=n)
        conn.complete("COPY 1")
        conn.ready()
        return
    if up.startswith("SELECT PG_CATALOG.PG_CANCEL_BACKEND"):
        conn.rowdesc([("pg_cancel_backend", 16)])
        conn.datarow([b"t"])
        conn.complete("SELECT 1")
        conn.ready()
        return
    # A load by key: counts past 2^63 (in a mirror, two statements' worth),
    # or two rows where one is due.
    if up.startswith("WITH DS_") and conn.db in ("count_huge", "count_multi"):
        conn.rowdesc([("a", 20), ("b", 20), ("c", 20)])
        big = b"9223372036854775807"
        conn.datarow([big, big, big])
        if conn.db == "count_multi":
            conn.datarow([b"1", b"1", b"1"])
        conn.complete("SELECT 1")
        conn.ready()
        return
    if up.startswith(("CREATE", "DROP", "ANALYZE", "ALTER")):
        conn.complete("OK")
        conn.ready()
        return
    rows(conn)
    conn.ready()


def key_equality(conn):
    """The stage key's equality: pg_catalog's = for the one key column; or
    an "operator" that would carry SQL into the merge, or one too many."""
    conn.rowdesc([("nspname", NAME), ("oprname", NAME)])
    if conn.db == "keq_inject":
        conn.datarow([b"pg_catalog", b"=) OR true; DROP TABLE t; --"])
    else:
        conn.datarow([b"pg_catalog", b"="])
        if conn.db == "keq_extra":
            conn.datarow([b"pg_catalog", b"="])
    conn.complete("SELECT 1")


def extended(conn, sql):
    # The primary key of a load by key's target: 30 million columns (a
    # backend that kept them would grow past 2 GB), or one column twice.
    if "pg_index" in sql:
        s = conn.db
        conn.rowdesc([("attname", NAME)])
        if s == "pk_flood":
            row = b"D" + struct.pack("!IHi", 4 + 2 + 4 + 1, 1, 1) + b"a"
            chunk = row * 100000
            for _ in range(300):
                conn.sock.sendall(chunk)
        elif s == "pk_dup":
            conn.datarow([b"a"]); conn.datarow([b"a"])
        else:
            conn.datarow([b"a"])
        conn.complete("SELECT 1")
        return
    if "typcategory" in sql:
        # The target's array and bit columns: none.
        conn.rowdesc([("attname", NAME), ("typcategory", NAME), ("greatest", INT4)])
        conn.complete("SELECT 0")
        return
    if "pg_attribute" in sql:
        s = conn.db
        if s == "attr_onecol":
            conn.rowdesc([("attname", NAME)])
            conn.datarow([b"a"])
        elif s == "attr_null":
            conn.rowdesc([("attname", NAME), ("atttypid", OID)])
            conn.datarow([b"a", None])
        elif s == "attr_word":
            conn.rowdesc([("attname", NAME), ("atttypid", OID)])
            conn.datarow([b"a", b"int4"])
        else:
            conn.rowdesc([("attname", NAME), ("atttypid", OID)])
            conn.datarow([b"a", b"23"])
        conn.complete("SELECT 1")
        return
    rows(conn)


def rows(conn):
    """The answer to any other statement: the rows of the scenario."""
    s = conn.db
    if s == "second_rowdesc":
        conn.rowdesc([("a", INT4)])
        conn.datarow([b"1"])
        conn.rowdesc([("a", TEXT), ("b", TEXT)])
        conn.datarow([b"x", b"y"])
        conn.complete("SELECT 2")
    elif s == "datarow_short":
        conn.rowdesc([("a", INT4), ("b", INT4)])
        conn.datarow([b"1"])
        conn.complete("SELECT 1")
    elif s == "type_lie":
        conn.rowdesc([("a", INT4)])
        conn.datarow([b"abc"])
        conn.complete("SELECT 1")
    elif s == "array_lie":
        conn.rowdesc([("a", INT4ARRAY)])
        conn.datarow([b"{1,{2}"])
        conn.complete("SELECT 1")
    elif s == "bad_utf8_error":
        conn.error(b"4\xff0\x0100", b"broken \xff\xfe message")
    elif s == "bad_utf8_value":
        conn.rowdesc([("a", TEXT)])
        conn.datarow([b"\xc3\x28"])
        conn.complete("SELECT 1")
    elif s == "notice_flood":
        for i in range(10000):
            conn.notice(b"notice \xff %d" % i)
        conn.rowdesc([("a", INT4)])
        conn.datarow([b"7"])
        conn.complete("SELECT 1")
    elif s == "cmd_tuples_word":
        conn.complete("UPDATE many")
    elif s == "close_midrow":
        conn.rowdesc([("a", TEXT)])
        conn.sock.sendall(b"D" + struct.pack("!IHi", 1000, 1, 900) + b"only a little")
        conn.sock.shutdown(socket.SHUT_RDWR)
        raise EOFError
    elif s == "giant_length":
        conn.rowdesc([("a", TEXT)])
        conn.sock.sendall(b"D" + struct.pack("!I", 0x7ffffff0))
        conn.sock.shutdown(socket.SHUT_RDWR)
        raise EOFError
    elif s == "wide_result":
        # More columns than any PostgreSQL tuple can have (and than AttrNumber holds).
        conn.rowdesc([("c%d" % i, INT4) for i in range(32768)])
        conn.datarow([b"1"] * 32768)
        conn.complete("SELECT 1")
    elif s == "fatal_midquery":
        conn.error(b"57P01", b"terminating connection due to administrator command", severity=b"FATAL")
        conn.sock.shutdown(socket.SHUT_RDWR)
        raise EOFError
    else:
        conn.rowdesc([("a", INT4)])
        conn.datarow([b"1"])
        conn.complete("SELECT 1")


if __name__ == "__main__":
    fakelib.serve_tcp(lambda sock, log: serve(Conn(sock, log)))
