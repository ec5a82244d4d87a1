#!/usr/bin/env python3
"""A MySQL server that lies: each connection plays the scenario named by the
database it asks for, answering what datastore sends with shapes a real
server never sends (missing columns, NULLs, an OK where rows were due,
truncated packets, huge values, a LOCAL INFILE request nobody made).

Tests only (test/t/hostile_mysql.sh).  Standard library only.  Every
statement a client sends, and any file data, is appended to --log as one JSON
object per line, so that a test can check what reached the server.
"""
import json
import socket
import struct
import threading

import fakelib

CLIENT_LONG_PASSWORD = 1
CLIENT_FOUND_ROWS = 2
CLIENT_LONG_FLAG = 4
CLIENT_CONNECT_WITH_DB = 8
CLIENT_LOCAL_FILES = 0x80
CLIENT_PROTOCOL_41 = 0x200
CLIENT_TRANSACTIONS = 0x2000
CLIENT_SECURE_CONNECTION = 0x8000
CLIENT_MULTI_STATEMENTS = 0x10000
CLIENT_MULTI_RESULTS = 0x20000
CLIENT_PS_MULTI_RESULTS = 0x40000
CLIENT_PLUGIN_AUTH = 0x80000
CLIENT_SSL = 0x800
# CLIENT_SSL offered, as a server with TLS configured does; a client that
# asks for it gets a TLS alert (protocol_version, what an old server's TLS
# 1.0 says to a client that speaks only 1.2 and up) and the connection
# closed: a handshake the two sides cannot agree on.
CAPS = (CLIENT_LONG_PASSWORD | CLIENT_FOUND_ROWS | CLIENT_LONG_FLAG | CLIENT_CONNECT_WITH_DB
        | CLIENT_LOCAL_FILES | CLIENT_PROTOCOL_41 | CLIENT_TRANSACTIONS | CLIENT_SECURE_CONNECTION
        | CLIENT_MULTI_STATEMENTS | CLIENT_MULTI_RESULTS | CLIENT_PS_MULTI_RESULTS | CLIENT_PLUGIN_AUTH
        | CLIENT_SSL)

T_LONG, T_DOUBLE, T_NEWDECIMAL, T_BIT, T_DATETIME, T_TIME, T_VARSTRING, T_LONGLONG = 3, 5, 246, 16, 12, 11, 253, 8
BINARY = 63
UTF8 = 45

LOG_LOCK = threading.Lock()


def lenenc_int(n):
    if n < 251:
        return bytes([n])
    if n < 1 << 16:
        return b"\xfc" + struct.pack("<H", n)
    if n < 1 << 24:
        return b"\xfd" + struct.pack("<I", n)[:3]
    return b"\xfe" + struct.pack("<Q", n)


def lenenc_str(b):
    return lenenc_int(len(b)) + b


class Conn:
    def __init__(self, sock, log):
        self.sock = sock
        self.seq = 0
        self.log = log
        self.db = ""

    def note(self, **kw):
        kw["db"] = self.db
        with LOG_LOCK, open(self.log, "a") as f:
            f.write(json.dumps(kw) + "\n")

    def send(self, payload, seq=None):
        if seq is not None:
            self.seq = seq
        self.sock.sendall(struct.pack("<I", len(payload))[:3] + bytes([self.seq & 0xff]) + payload)
        self.seq += 1

    def recv_exact(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise EOFError
            buf += chunk
        return buf

    def recv(self):
        head = self.recv_exact(4)
        n = head[0] | head[1] << 8 | head[2] << 16
        self.seq = head[3] + 1
        return self.recv_exact(n)

    def ok(self, affected=0, warnings=0, info=b""):
        # Connector/C reads the info string length-encoded.
        self.send(b"\x00" + lenenc_int(affected) + lenenc_int(0) + struct.pack("<HH", 2, warnings)
                  + (lenenc_str(info) if info else b""))

    def err(self, code, state, msg):
        self.send(b"\xff" + struct.pack("<H", code) + b"#" + state + msg)

    def eof(self):
        self.send(b"\xfe" + struct.pack("<HH", 0, 2))

    def coldef(self, name, ctype, charset=UTF8, length=255, flags=0, decimals=0):
        n = name.encode()
        self.send(lenenc_str(b"def") + lenenc_str(b"") + lenenc_str(b"t") + lenenc_str(b"t")
                  + lenenc_str(n) + lenenc_str(n) + b"\x0c" + struct.pack("<HIBHB", charset, length, ctype, flags, decimals)
                  + b"\x00\x00")

    def resultset(self, columns, rows, ncols_claimed=None):
        self.send(lenenc_int(len(columns) if ncols_claimed is None else ncols_claimed))
        for c in columns:
            self.coldef(*c)
        self.eof()
        for r in rows:
            self.send(b"".join(b"\xfb" if v is None else lenenc_str(v) for v in r))
        self.eof()

    def handshake(self, version=b"5.5.5-10.11.99-FakeMariaDB"):
        salt = b"abcdefghijklmnopqrst"
        self.send(b"\x0a" + version + b"\x00" + struct.pack("<I", 42) + salt[:8] + b"\x00"
                  + struct.pack("<H", CAPS & 0xffff) + bytes([UTF8]) + struct.pack("<H", 2)
                  + struct.pack("<H", CAPS >> 16) + bytes([21]) + b"\x00" * 10 + salt[8:] + b"\x00"
                  + b"mysql_native_password\x00", seq=0)
        resp = self.recv()
        caps = struct.unpack("<I", resp[:4])[0]
        if caps & CLIENT_SSL and len(resp) == 32:
            self.note(event="ssl_request")
            self.sock.sendall(b"\x15\x03\x01\x00\x02\x02\x46")
            raise EOFError
        p = 32
        end = resp.index(b"\x00", p)
        user = resp[p:end]
        p = end + 1
        alen = resp[p]
        p += 1 + alen
        if caps & CLIENT_CONNECT_WITH_DB and p < len(resp):
            end = resp.index(b"\x00", p)
            self.db = resp[p:end].decode("utf-8", "replace")
        self.note(event="connect", user=user.decode("utf-8", "replace"))


def serve(conn):
    scen = None
    try:
        conn.handshake()
        scen = conn.db
        if scen == "bad_greeting_after_auth":
            conn.send(b"\x0a\x00", seq=2)
            return
        conn.ok()
        while True:
            pkt = conn.recv()
            cmd = pkt[0]
            if cmd == 0x01:
                return
            if cmd == 0x0e:
                conn.ok()
                continue
            if cmd != 0x03:
                conn.err(1047, b"08S01", b"Unknown command")
                continue
            sql = pkt[1:].decode("utf-8", "replace")
            conn.note(event="query", sql=sql)
            answer(conn, scen, sql)
    except (EOFError, ConnectionError, OSError):
        pass
    finally:
        try:
            conn.sock.close()
        except OSError:
            pass


def answer(conn, scen, sql):
    up = sql.strip().upper()
    if up.startswith("SET ") or up in ("START TRANSACTION", "COMMIT", "ROLLBACK") or up.startswith("KILL"):
        conn.ok()
        return
    if up.startswith("LOAD DATA"):
        # Ask for the file the statement named, read it, then answer.
        conn.send(b"\xfb" + b"datastore")
        nbytes = 0
        while True:
            chunk = conn.recv()
            if not chunk:
                break
            nbytes += len(chunk)
        conn.note(event="infile", bytes=nbytes)
        warnings = {"warn_ok": 65535, "warn_null": 65535, "warn_word": 65535,
                    "warn_onecol": 3, "warn_rows": 3, "warn_badtext": 1}.get(scen, 0)
        conn.ok(affected=2, warnings=warnings, info=b"Records: 2  Deleted: 0  Skipped: 0  Warnings: 0")
        return
    if up == "SELECT @@WARNING_COUNT":
        if scen == "warn_ok":
            conn.ok()  # no result set where one was due
        elif scen == "warn_null":
            conn.resultset([("@@warning_count", T_LONGLONG)], [[None]])
        elif scen == "warn_word":
            conn.resultset([("@@warning_count", T_LONGLONG)], [[b"many"]])
        else:
            conn.resultset([("@@warning_count", T_LONGLONG)], [[b"3"]])
        return
    if up == "SHOW WARNINGS":
        if scen == "warn_onecol":
            conn.resultset([("Level", T_VARSTRING)], [[b"Warning"]] * 3)
        elif scen == "warn_rows":
            conn.resultset([("Level", T_VARSTRING), ("Code", T_LONG), ("Message", T_VARSTRING)],
                           [[b"Warning", b"1265", b"Data truncated at row 2000000000"],
                            [b"Warning", b"1265", b"Data truncated at row -5"],
                            [b"Warning", b"1265", b"Data truncated at row 1"]])
        elif scen == "warn_badtext":
            conn.resultset([("Level", T_VARSTRING), ("Code", T_LONG), ("Message", T_VARSTRING)],
                           [[b"Warning", b"1265", b"\xff\xfe bad \xc3 at row 1"]])
        else:
            conn.resultset([("Level", T_VARSTRING), ("Code", T_LONG), ("Message", T_VARSTRING)], [])
        return
    # A load by key (mode upsert): the target's unique keys, the stage, the upsert.
    if scen.startswith("key_") and "INFORMATION_SCHEMA.STATISTICS" in up:
        cols = [("INDEX_NAME", T_VARSTRING), ("COLUMN_NAME", T_VARSTRING), ("SUB_PART", T_LONGLONG)]
        rows = {"key_nul": [[b"PRIMARY", b"a\x00b", None]],
                "key_badutf8": [[b"PRIMARY", b"\xc3\x28", None]],
                "key_nullname": [[None, b"a", None]],
                "key_counts": [[b"PRIMARY", b"a", None]],
                "key_noinfo": [[b"PRIMARY", b"a", None]]}.get(scen)
        if scen == "key_twocols":
            conn.resultset(cols[:2], [[b"PRIMARY", b"a"]])
        else:
            conn.resultset(cols, rows)
        return
    if scen.startswith("key_") and (up.startswith("DROP ") or up.startswith("CREATE ")):
        conn.ok()
        return
    if scen.startswith("key_") and up.startswith("INSERT"):
        if scen == "key_counts":
            # more rows updated than the statement had
            conn.ok(affected=2, info=b"Records: 1  Duplicates: 5  Warnings: 0")
        else:
            conn.ok(affected=1)
        return
    # ds_diff with an integer key: described (LIMIT 0), then read in key
    # order, which these rows are not, or with a key that is no integer.
    if scen.startswith("diff_"):
        cols = [("id", T_LONGLONG, BINARY, 20), ("v", T_VARSTRING)]
        rows = {"diff_order": [[b"1", b"a"], [b"3", b"c"], [b"2", b"b"]],
                "diff_word": [[b"1", b"a"], [b"2 OR 1", b"b"]]}[scen]
        conn.resultset(cols, [] if up.endswith("LIMIT 0") else rows)
        return
    # Plain queries: the scenario decides the shape of the rows.
    if scen == "ok_for_rows":
        conn.ok()
    elif scen == "bit_wide":
        conn.resultset([("b", T_BIT, BINARY, 64)], [[b"\x01" * 100]])
    elif scen == "decimal_word":
        conn.resultset([("d", T_NEWDECIMAL, BINARY, 10)], [[b"\xffnot a number"]])
    elif scen == "double_word":
        conn.resultset([("f", T_DOUBLE, BINARY, 22)], [[b"1.5e"]])
    elif scen == "double_nan":
        conn.resultset([("f", T_DOUBLE, BINARY, 22)], [[b"nan"], [b"inf"], [b"-inf"], [b"2.5"]])
    elif scen == "time_word":
        conn.resultset([("t", T_TIME, BINARY, 10)], [[b"12:3\xff:00"]])
    elif scen == "datetime_word":
        conn.resultset([("t", T_DATETIME, BINARY, 19)], [[b"2024-01-0x 00:00:00"]])
    elif scen == "text_badutf8":
        conn.resultset([("s", T_VARSTRING)], [[b"ok"], [b"\xc3\x28"]])
    elif scen == "text_nul":
        conn.resultset([("s", T_VARSTRING)], [[b"a\x00b"]])
    elif scen == "error_badutf8":
        conn.err(1064, b"42\xff00", b"You have an error \xff\xfe near")
    elif scen == "truncated_row":
        conn.send(lenenc_int(1))
        conn.coldef("s", T_VARSTRING)
        conn.eof()
        conn.sock.sendall(struct.pack("<I", 1000)[:3] + bytes([conn.seq & 0xff]) + b"\x05ab")
        conn.sock.shutdown(socket.SHUT_RDWR)
        raise EOFError
    elif scen == "fewer_coldefs":
        conn.resultset([("a", T_LONG), ("b", T_LONG)], [[b"1", b"2"]], ncols_claimed=3)
    elif scen == "huge_value":
        conn.resultset([("s", T_VARSTRING, BINARY, 1 << 24)], [[b"x" * (10 << 20)]])
    elif scen == "infile_unasked":
        # A server asking for a client file it was never told about.
        conn.send(b"\xfb" + b"/etc/passwd")
        data = b""
        while True:
            chunk = conn.recv()
            if not chunk:
                break
            data += chunk
        conn.note(event="infile_unasked", bytes=len(data))
        conn.ok()
    elif scen == "too_many_columns":
        cols = [("c%d" % i, T_LONG) for i in range(4097)]
        conn.resultset(cols, [[b"1"] * 4097])
    elif scen == "decimal_inject":
        # A "number" that would close a JSON object and open one of its own.
        conn.resultset([("a", T_NEWDECIMAL, BINARY, 10)], [[b'1},{"a":2']])
    elif scen == "many_columns":
        cols = [("c%d" % i, T_LONG) for i in range(3000)]
        conn.resultset(cols, [[b"1"] * 3000])
    else:
        conn.resultset([("one", T_LONG)], [[b"1"]])


if __name__ == "__main__":
    fakelib.serve_tcp(lambda sock, log: serve(Conn(sock, log)))
