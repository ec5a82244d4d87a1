"""The emulator's MySQL-protocol front: a proxy on 127.0.0.1 in front of the
MariaDB server that stores the data.  It sends StarRocks' greeting, relays
the authentication to MariaDB (so MariaDB's accounts, passwords and thread
ids are StarRocks' here too), then reads every command: statements in
StarRocks' dialect are checked and rewritten (or answered) here, the rest
are passed on, and MariaDB's answers are relayed.  See README.md.

Standard library plus python3-pymysql only.
"""

import logging
import re
import select
import socket
import ssl
import struct
import threading
import uuid

import sr_sql
from sr_sql import (SrError, Parser, analysis_error, plain_error, quote_ident, quote_str, syntax_error,
                    tokenize, split_statements)

LOG = logging.getLogger("sr-emulator")

# capability flags (MySQL client/server protocol)
CLIENT_LONG_PASSWORD = 1
CLIENT_LONG_FLAG = 4
CLIENT_CONNECT_WITH_DB = 8
CLIENT_COMPRESS = 32
CLIENT_LOCAL_FILES = 128
CLIENT_PROTOCOL_41 = 512
CLIENT_SSL = 2048
CLIENT_SECURE_CONNECTION = 1 << 15
CLIENT_MULTI_STATEMENTS = 1 << 16
CLIENT_PLUGIN_AUTH = 1 << 19
CLIENT_CONNECT_ATTRS = 1 << 20
CLIENT_PLUGIN_AUTH_LENENC = 1 << 21
CLIENT_SESSION_TRACK = 1 << 23
CLIENT_DEPRECATE_EOF = 1 << 24
CLIENT_OPTIONAL_METADATA = 1 << 25
CLIENT_ZSTD = 1 << 26
CLIENT_QUERY_ATTRIBUTES = 1 << 27

# MysqlCapability.DEFAULT_FLAGS (fe-core .../mysql/MysqlCapability.java);
# MysqlHandshakePacket adds CLIENT_SSL when the FE has an SSL keystore.
SR_CAPABILITIES = (CLIENT_PROTOCOL_41 | CLIENT_CONNECT_WITH_DB | CLIENT_SECURE_CONNECTION | CLIENT_PLUGIN_AUTH
                   | CLIENT_LONG_FLAG | CLIENT_CONNECT_ATTRS | CLIENT_PLUGIN_AUTH_LENENC)
# What a client may not ask MariaDB for through the front: StarRocks never
# offers these.
STRIP_CLIENT = (CLIENT_COMPRESS | CLIENT_LOCAL_FILES | CLIENT_MULTI_STATEMENTS | CLIENT_SESSION_TRACK
                | CLIENT_DEPRECATE_EOF | CLIENT_OPTIONAL_METADATA | CLIENT_ZSTD | CLIENT_QUERY_ATTRIBUTES)
SR_SERVER_VERSION = b"5.1.0"       # MysqlHandshakePacket / Config.mysql_server_version
SR_CHARSET = 33                    # "33 stands for UTF-8 character set"

SERVER_MORE_RESULTS = 8
SERVER_CURSOR_EXISTS = 0x40
SERVER_AUTOCOMMIT = 2

COM_QUIT, COM_INIT_DB, COM_QUERY, COM_FIELD_LIST = 0x01, 0x02, 0x03, 0x04
COM_STATISTICS, COM_PROCESS_KILL, COM_PING, COM_CHANGE_USER = 0x09, 0x0c, 0x0e, 0x11
COM_STMT_PREPARE, COM_STMT_EXECUTE, COM_STMT_SEND_LONG_DATA, COM_STMT_CLOSE = 0x16, 0x17, 0x18, 0x19
COM_STMT_RESET, COM_SET_OPTION, COM_STMT_FETCH, COM_RESET_CONNECTION = 0x1a, 0x1b, 0x1c, 0x1f
ONE_PACKET = {COM_PING, COM_PROCESS_KILL, COM_STMT_RESET, COM_SET_OPTION, COM_RESET_CONNECTION, COM_STATISTICS,
              0x0d}
KNOWN_COMMANDS = ONE_PACKET | {COM_QUIT, COM_INIT_DB, COM_QUERY, COM_FIELD_LIST, COM_CHANGE_USER, COM_STMT_PREPARE,
                               COM_STMT_EXECUTE, COM_STMT_SEND_LONG_DATA, COM_STMT_CLOSE, COM_STMT_FETCH}

MAX_PACKET = 0xFFFFFF


class Gone(Exception):
    """A peer closed its connection."""


def lenenc_int(n):
    if n < 251:
        return bytes([n])
    if n < 1 << 16:
        return b"\xfc" + struct.pack("<H", n)
    if n < 1 << 24:
        return b"\xfd" + struct.pack("<I", n)[:3]
    return b"\xfe" + struct.pack("<Q", n)


def lenenc_str(b):
    if isinstance(b, str):
        b = b.encode("utf-8", "surrogateescape")
    return lenenc_int(len(b)) + b


def read_lenenc(buf, pos):
    """(value, next position); value None for the NULL marker 0xFB."""
    c = buf[pos]
    if c < 251:
        return c, pos + 1
    if c == 0xFB:
        return None, pos + 1
    if c == 0xFC:
        return struct.unpack_from("<H", buf, pos + 1)[0], pos + 3
    if c == 0xFD:
        return int.from_bytes(buf[pos + 1:pos + 4], "little"), pos + 4
    return struct.unpack_from("<Q", buf, pos + 1)[0], pos + 9


class PacketIO:
    """MySQL packets over a (possibly TLS) socket."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = bytearray()

    def _fill(self, need, exact):
        while len(self.buf) < need:
            try:
                d = self.sock.recv(need - len(self.buf) if exact else max(65536, need - len(self.buf)))
            except (ConnectionError, OSError, ssl.SSLError) as e:
                raise Gone() from e
            if not d:
                raise Gone()
            self.buf += d

    def pending(self):
        """Bytes received and not yet read (here or inside TLS)."""
        return bool(self.buf) or (isinstance(self.sock, ssl.SSLSocket) and self.sock.pending() > 0)

    def read(self, exact=False):
        """(seq, payload, raw bytes as received)."""
        payload = bytearray()
        raw = bytearray()
        while True:
            self._fill(4, exact)
            n = self.buf[0] | self.buf[1] << 8 | self.buf[2] << 16
            seq = self.buf[3]
            self._fill(4 + n, exact)
            raw += self.buf[:4 + n]
            payload += self.buf[4:4 + n]
            del self.buf[:4 + n]
            if n < MAX_PACKET:
                return seq, bytes(payload), bytes(raw)

    @staticmethod
    def frame(seq, payload):
        out = bytearray()
        while True:
            part = payload[:MAX_PACKET]
            payload = payload[MAX_PACKET:]
            out += struct.pack("<I", len(part))[:3] + bytes([seq & 0xFF]) + part
            seq += 1
            if len(part) < MAX_PACKET:
                return bytes(out), seq

    def send(self, seq, payload):
        data, nseq = self.frame(seq, payload)
        self.sendall(data)
        return nseq

    def sendall(self, data):
        try:
            self.sock.sendall(data)
        except (ConnectionError, OSError, ssl.SSLError) as e:
            raise Gone() from e


def ok_payload(affected=0, insert_id=0, status=SERVER_AUTOCOMMIT, warnings=0, info=""):
    # MysqlOkPacket.writeTo: the info is a length-encoded string ("in
    # datasheet, use EOF string, but in the code, mysql use length encoded").
    p = b"\x00" + lenenc_int(affected) + lenenc_int(insert_id) + struct.pack("<HH", status, warnings)
    if info:
        p += lenenc_str(info)
    return p


def err_payload(errno, sqlstate, msg):
    return b"\xff" + struct.pack("<H", errno) + b"#" + sqlstate.encode("ascii")[:5] + msg.encode("utf-8", "replace")


def eof_payload(status=SERVER_AUTOCOMMIT, warnings=0):
    return b"\xfe" + struct.pack("<HH", warnings, status)


def parse_ok(p):
    affected, pos = read_lenenc(p, 1)
    insert_id, pos = read_lenenc(p, pos)
    status, warnings = struct.unpack_from("<HH", p, pos)
    info = ""
    if len(p) > pos + 4:
        n, q = read_lenenc(p, pos + 4)
        info = p[q:q + (n or 0)].decode("utf-8", "replace")
    return {"affected": affected or 0, "insert_id": insert_id or 0, "status": status, "warnings": warnings,
            "info": info}


def parse_err(p):
    errno = struct.unpack_from("<H", p, 1)[0]
    if p[3:4] == b"#":
        return errno, p[4:9].decode("ascii", "replace"), p[9:].decode("utf-8", "replace")
    return errno, "HY000", p[3:].decode("utf-8", "replace")


def is_eof(p):
    return p[:1] == b"\xfe" and len(p) < 9


class Resp:
    def __init__(self, kind, **kw):
        self.kind = kind      # ok err rs
        self.__dict__.update(kw)


class UpstreamError(Exception):
    def __init__(self, resp):
        super().__init__(resp.msg)
        self.resp = resp


def client_tls_context(cert, key):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    return ctx


def upstream_tls_context():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE     # MariaDB on loopback, our own
    return ctx


class MysqlFront:
    def __init__(self, emu, port, tls_cert=None, tls_key=None):
        self.emu = emu
        self.args = emu.args
        self.port = port
        self.tls = client_tls_context(tls_cert, tls_key) if tls_cert else None
        self.up_tls = upstream_tls_context()
        self.sock = None
        self.sessions = set()
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.columns_of_columns = None

    def bind(self):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", self.port))
        s.listen(128)
        s.settimeout(0.2)
        self.sock = s

    def serve_forever(self):
        while not self.stopping.is_set():
            try:
                c, addr = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                if self.stopping.is_set():
                    break
                continue
            c.settimeout(None)
            c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sess = Session(self, c, addr)
            with self.lock:
                self.sessions.add(sess)
            threading.Thread(target=sess.run, name="mysql-%d" % addr[1], daemon=True).start()

    def stop(self):
        self.stopping.set()
        try:
            self.sock.close()
        except OSError:
            pass
        with self.lock:
            sessions = list(self.sessions)
        for s in sessions:
            s.close()

    def forget(self, sess):
        with self.lock:
            self.sessions.discard(sess)


class Session:
    def __init__(self, front, client, addr):
        self.front = front
        self.emu = front.emu
        self.meta = front.emu.meta
        self.client = client
        self.addr = addr
        self.up = None
        self.cio = PacketIO(client)
        self.uio = None
        self.db = None
        self.status = SERVER_AUTOCOMMIT
        self.vars = {}
        self.closed = False

    # -- plumbing
    def close(self):
        if self.closed:
            return
        self.closed = True
        for s in (self.client, self.up):
            if s is None:
                continue
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            try:
                s.close()
            except OSError:
                pass

    def run(self):
        try:
            self.emu.bump("mysql_connections")
            if self.handshake():
                self.loop()
        except Gone:
            pass
        except Exception as e:  # noqa: BLE001
            LOG.error("mysql front %s: %s", self.addr, e, exc_info=True)
        finally:
            self.close()
            self.front.forget(self)

    def to_client(self, seq, payload):
        return self.cio.send(seq, payload)

    def send_ok(self, affected=0, info="", warnings=0, insert_id=0):
        self.to_client(1, ok_payload(affected, insert_id, self.status, warnings, info))

    def send_err(self, errno, sqlstate, msg, seq=1):
        self.to_client(seq, err_payload(errno, sqlstate, msg))

    def send_error(self, e):
        self.emu.bump("mysql_errors")
        self.send_err(e.errno, e.sqlstate, e.msg)

    def send_rows(self, names, rows):
        out = []
        seq = 1

        def add(p):
            nonlocal seq
            data, seq = PacketIO.frame(seq, p)
            out.append(data)

        add(lenenc_int(len(names)))
        for n in names:
            add(lenenc_str("def") + lenenc_str("") + lenenc_str("") + lenenc_str("") + lenenc_str(n)
                + lenenc_str(n) + b"\x0c" + struct.pack("<HIBHB", SR_CHARSET, 1 << 20, 0xFD, 0, 0) + b"\x00\x00")
        add(eof_payload(self.status))
        for r in rows:
            add(b"".join(b"\xfb" if v is None else lenenc_str(str(v)) for v in r))
        add(eof_payload(self.status))
        self.cio.sendall(b"".join(out))

    # -- handshake
    def handshake(self):
        args = self.front.args
        self.up = socket.create_connection((args.mysql_host, args.mysql_port), timeout=15)
        self.up.settimeout(None)
        self.up.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.uio = PacketIO(self.up)
        seq, g, _ = self.uio.read()
        if g[:1] == b"\xff":
            self.to_client(0, g)
            return False
        # Protocol::HandshakeV10 as MariaDB sends it
        pos = 1
        end = g.index(b"\x00", pos)
        pos = end + 1
        conn_id = struct.unpack_from("<I", g, pos)[0]
        pos += 4
        scramble = g[pos:pos + 8]
        pos += 9
        caps = struct.unpack_from("<H", g, pos)[0]
        pos += 2 + 1 + 2
        caps |= struct.unpack_from("<H", g, pos)[0] << 16
        pos += 2
        alen = g[pos]
        pos += 1 + 10
        part2 = max(13, alen - 8)
        scramble += g[pos:pos + part2].rstrip(b"\x00")
        pos += part2
        plugin = g[pos:].split(b"\x00", 1)[0] or b"mysql_native_password"
        self.up_caps = caps
        mine = SR_CAPABILITIES & caps
        if self.front.tls is not None:
            mine |= CLIENT_SSL
        # MysqlHandshakePacket.writeTo: version, connection id (MariaDB's,
        # so that KILL works), scramble, flags, charset 33, status 0.
        greet = (b"\x0a" + SR_SERVER_VERSION + b"\x00" + struct.pack("<I", conn_id) + scramble[:8] + b"\x00"
                 + struct.pack("<H", mine & 0xFFFF) + bytes([SR_CHARSET]) + struct.pack("<H", 0)
                 + struct.pack("<H", mine >> 16) + bytes([len(scramble) + 1]) + b"\x00" * 10
                 + scramble[8:] + b"\x00" + plugin + b"\x00")
        self.to_client(0, greet)
        seq, resp, _ = self.cio.read(exact=True)
        offset = 0
        if len(resp) >= 4 and struct.unpack_from("<I", resp, 0)[0] & CLIENT_SSL and len(resp) <= 32:
            if self.front.tls is None:
                return False
            try:
                self.client = self.front.tls.wrap_socket(self.client, server_side=True)
            except (ssl.SSLError, OSError) as e:
                LOG.info("mysql front %s: TLS handshake failed: %s", self.addr, e)
                return False
            self.cio.sock = self.client
            self.emu.bump("mysql_tls_connections")
            if caps & CLIENT_SSL:
                ssl_req = bytearray(resp)
                c = (struct.unpack_from("<I", ssl_req, 0)[0] & ~STRIP_CLIENT) | CLIENT_SSL
                struct.pack_into("<I", ssl_req, 0, c)
                if len(ssl_req) >= 32:
                    ssl_req[28:32] = b"\x00\x00\x00\x00"
                self.uio.send(seq, bytes(ssl_req))
                self.up = self.front.up_tls.wrap_socket(self.up)
                self.uio.sock = self.up
            else:
                offset = 1
            seq, resp, _ = self.cio.read()
        resp = bytearray(resp)
        c = struct.unpack_from("<I", resp, 0)[0] & ~STRIP_CLIENT
        if offset:
            c &= ~CLIENT_SSL
        struct.pack_into("<I", resp, 0, c)
        if len(resp) >= 32:
            resp[28:32] = b"\x00\x00\x00\x00"     # MariaDB's extended capabilities: none offered
        self.db = self._handshake_db(bytes(resp), c)
        self.uio.send(seq - offset, bytes(resp))
        return self.auth_relay(offset)

    @staticmethod
    def _handshake_db(resp, caps):
        try:
            pos = 32
            end = resp.index(b"\x00", pos)
            pos = end + 1
            if caps & CLIENT_PLUGIN_AUTH_LENENC:
                n, pos = read_lenenc(resp, pos)
                pos += n or 0
            elif caps & CLIENT_SECURE_CONNECTION:
                pos += 1 + resp[pos]
            else:
                pos = resp.index(b"\x00", pos) + 1
            if caps & CLIENT_CONNECT_WITH_DB:
                end = resp.index(b"\x00", pos)
                db = resp[pos:end].decode("utf-8", "replace")
                return db or None
        except (ValueError, IndexError):
            pass
        return None

    def auth_relay(self, offset=0):
        """Relays the authentication exchange until MariaDB says OK or ERR."""
        while True:
            seq, p, _ = self.uio.read()
            self.to_client(seq + offset, p)
            if p[:1] == b"\x00":
                self.status = parse_ok(p)["status"]
                return True
            if p[:1] == b"\xff":
                return False
            if p[:2] == b"\x01\x03":      # caching_sha2 fast path: OK follows
                continue
            seq, c, _ = self.cio.read()
            self.uio.send(seq - offset, c)

    # -- relaying MariaDB's answers
    def relay(self, kind):
        """Copies MariaDB's answer to the command just sent to the client."""
        out = []
        size = 0

        def fwd(raw):
            nonlocal size
            out.append(raw)
            size += len(raw)
            if size >= 1 << 18:
                self.cio.sendall(b"".join(out))
                out.clear()
                size = 0

        try:
            if kind == "one":
                _, p, raw = self.uio.read()
                fwd(raw)
                if p[:1] == b"\x00":
                    self.status = parse_ok(p)["status"]
                return
            if kind == "fields":
                while True:
                    _, p, raw = self.uio.read()
                    fwd(raw)
                    if p[:1] == b"\xff" or is_eof(p):
                        return
            if kind == "prepare":
                _, p, raw = self.uio.read()
                fwd(raw)
                if p[:1] != b"\x00":
                    return
                ncols, nparams = struct.unpack_from("<HH", p, 5)
                for n in (nparams, ncols):
                    if n:
                        for _ in range(n + 1):
                            _, p, raw = self.uio.read()
                            fwd(raw)
                return
            while True:         # a text or binary result, or several
                seq, p, raw = self.uio.read()
                h = p[:1]
                if h == b"\xff":
                    fwd(self.sr_error(seq, p, raw))
                    return
                fwd(raw)
                if h == b"\x00" and kind != "rows":
                    ok = parse_ok(p)
                    self.status = ok["status"]
                    if ok["status"] & SERVER_MORE_RESULTS:
                        continue
                    return
                if h == b"\xfb":
                    # LOCAL INFILE request: never offered, refuse it
                    self.uio.send(2, b"")
                    continue
                if kind != "rows":
                    ncols, _ = read_lenenc(p, 0)
                    for _ in range(ncols):
                        _, p, raw = self.uio.read()
                        fwd(raw)
                    _, p, raw = self.uio.read()       # EOF after the columns
                    fwd(raw)
                    if is_eof(p) and struct.unpack_from("<H", p, 3)[0] & SERVER_CURSOR_EXISTS:
                        return      # rows come with COM_STMT_FETCH
                while True:
                    seq, p, raw = self.uio.read()
                    if p[:1] == b"\xff":
                        fwd(self.sr_error(seq, p, raw))
                        return
                    fwd(raw)
                    if is_eof(p):
                        break
                st = struct.unpack_from("<H", p, 3)[0]
                self.status = st
                if not st & SERVER_MORE_RESULTS:
                    return
        finally:
            if out:
                self.cio.sendall(b"".join(out))

    def sr_error(self, seq, p, raw):
        """MariaDB's error packet, or StarRocks' for the same failure: a
        query over query_timeout gets ERR_TIMEOUT (ErrorCode.java: 5024,
        53400, "%s reached its timeout of %d seconds, %s"; the FE's text is
        "Query reached its timeout of N seconds, please increase the
        'query_timeout' session variable and retry").  MariaDB Connector/C
        reports a 5000-5999 error that arrives among the rows as 2027
        "Received malformed packet"; so does it with StarRocks."""
        errno = struct.unpack_from("<H", p, 1)[0]
        if errno == 1969:
            secs = self.vars.get("query_timeout") or sr_sql.SR_DEFAULTS["query_timeout"]
            return PacketIO.frame(seq, err_payload(
                5024, "53400", "Query reached its timeout of %s seconds, please increase the 'query_timeout' "
                "session variable and retry" % secs))[0]
        return raw

    def forward_query(self, sql):
        self.uio.send(0, b"\x03" + sql.encode("utf-8", "surrogateescape"))
        self.relay("result")

    def up_exec(self, sql):
        """Runs sql on the session's MariaDB connection; the answer, read
        here, not relayed."""
        self.uio.send(0, b"\x03" + sql.encode("utf-8", "surrogateescape"))
        return self.read_full()

    def up_ok(self, sql):
        r = self.up_exec(sql)
        if r.kind == "err":
            raise UpstreamError(r)
        return r

    def read_full(self):
        _, p, _ = self.uio.read()
        h = p[:1]
        if h == b"\xff":
            errno, state, msg = parse_err(p)
            return Resp("err", errno=errno, sqlstate=state, msg=msg)
        if h == b"\x00":
            ok = parse_ok(p)
            self.status = ok["status"]
            r = Resp("ok", **ok)
            while self.status & SERVER_MORE_RESULTS:
                self.read_full()
            return r
        ncols, _ = read_lenenc(p, 0)
        names = []
        for _ in range(ncols):
            _, p, _ = self.uio.read()
            pos = 0
            vals = []
            for _ in range(5):
                n, pos = read_lenenc(p, pos)
                vals.append(p[pos:pos + n])
                pos += n
            names.append(vals[4].decode("utf-8", "replace"))
        self.uio.read()
        rows = []
        while True:
            _, p, _ = self.uio.read()
            if p[:1] == b"\xff":
                errno, state, msg = parse_err(p)
                return Resp("err", errno=errno, sqlstate=state, msg=msg)
            if is_eof(p):
                self.status = struct.unpack_from("<H", p, 3)[0]
                break
            pos, row = 0, []
            while pos < len(p):
                n, pos = read_lenenc(p, pos)
                if n is None:
                    row.append(None)
                else:
                    row.append(p[pos:pos + n].decode("utf-8", "surrogateescape"))
                    pos += n
            rows.append(row)
        while self.status & SERVER_MORE_RESULTS:
            self.read_full()
        return Resp("rs", names=names, rows=rows)

    def send_upstream_err(self, r):
        p = err_payload(r.errno, r.sqlstate, r.msg)
        self.cio.sendall(self.sr_error(1, p, PacketIO.frame(1, p)[0]))

    # -- command loop
    def loop(self):
        while True:
            self.wait_for_client()
            seq, p, raw = self.cio.read()
            if not p:
                continue
            try:
                if not self.command(seq, p, raw):
                    return
            except (Gone, SrError, UpstreamError):
                raise
            except Exception as e:  # noqa: BLE001
                # A bug here: say so, then end the session (its protocol
                # state is not to be trusted any more).
                LOG.error("mysql front %s: %s", self.addr, e, exc_info=True)
                try:
                    self.send_err(1105, "HY000", "emulator internal error: %s" % e)
                except Gone:
                    pass
                return

    def wait_for_client(self):
        """Between commands MariaDB has nothing to say: if it speaks (a KILL's
        error, or closing), the session is over, and StarRocks closes a killed
        connection at once rather than at the client's next command."""
        while not self.cio.pending():
            ready, _, _ = select.select([self.cio.sock, self.uio.sock], [], [])
            if self.cio.sock in ready:
                return
            if self.uio.sock in ready:
                raise Gone()

    def command(self, seq, p, raw):
        """One client command; False after COM_QUIT."""
        cmd = p[0]
        if cmd == COM_QUIT:
            self.uio.sendall(raw)
            return False
        if cmd == COM_QUERY:
            self.emu.bump("mysql_queries")
            self.on_query(p[1:].decode("utf-8", "surrogateescape"))
        elif cmd == COM_STMT_PREPARE:
            self.on_prepare(p[1:].decode("utf-8", "surrogateescape"), raw)
        elif cmd == COM_INIT_DB:
            db = p[1:].decode("utf-8", "surrogateescape")
            r = self.up_exec("USE " + quote_ident(db))
            if r.kind == "ok":
                self.db = db
                self.send_ok()
            else:
                self.send_upstream_err(r)
        elif cmd in (COM_STMT_CLOSE, COM_STMT_SEND_LONG_DATA):
            self.uio.sendall(raw)
        elif cmd == COM_STMT_EXECUTE:
            self.uio.sendall(raw)
            self.relay("result")
        elif cmd == COM_STMT_FETCH:
            self.uio.sendall(raw)
            self.relay("rows")
        elif cmd == COM_FIELD_LIST:
            self.uio.sendall(raw)
            self.relay("fields")
        elif cmd == COM_CHANGE_USER:
            self.uio.sendall(raw)
            self.auth_relay()
            self.db = None
        elif cmd in ONE_PACKET:
            self.uio.sendall(raw)
            self.relay("one")
        else:
            # ERR_UNKNOWN_COM_ERROR (ErrorCode.java: 1047, 08S01)
            self.send_err(1047, "08S01", "Unknown command", seq + 1)
        return True

    def current_db(self):
        if self.db is None:
            r = self.up_exec("SELECT DATABASE()")
            if r.kind == "rs" and r.rows:
                self.db = r.rows[0][0]
        return self.db

    def need_db(self, db):
        db = db or self.current_db()
        if not db:
            # ERR_NO_DB_ERROR (ErrorCode.java: 1046, 3D000)
            raise plain_error(1046, "3D000", "No database selected")
        return db

    def table_def(self, db, tbl, required=True):
        """The table's TableDef (from the metadata, or made from its MariaDB
        columns), or None / an error if it does not exist."""
        td = self.meta.get(db, tbl)
        if td is not None:
            # The model is read with the emulator's account: show it only
            # to a session that may see the table.
            seen = self.up_ok("SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s AND TABLE_NAME = %s"
                              % (quote_str(db), quote_str(tbl)))
            if seen.rows:
                return td
        r = self.up_ok("SELECT COLUMN_NAME, COLUMN_TYPE, DATA_TYPE, IS_NULLABLE, COLUMN_DEFAULT, COLUMN_COMMENT, "
                       "COLUMN_KEY FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = %s AND TABLE_NAME = %s "
                       "ORDER BY ORDINAL_POSITION" % (quote_str(db), quote_str(tbl)))
        if not r.rows:
            if not required:
                return None
            # ERR_BAD_TABLE_ERROR "Unknown table '%s'"
            raise plain_error(1051, "42S02", "Getting analyzing error. Detail message: Unknown table '%s.%s'."
                              % (db, tbl))
        rows = [dict(zip(r.names, x)) for x in r.rows]
        pk = [x["COLUMN_NAME"] for x in rows if x["COLUMN_KEY"] == "PRI"]
        return sr_sql.tabledef_from_mariadb(db, tbl, rows, pk)

    def on_query(self, sql):
        if INSERT_START.match(sql):
            # a long INSERT is not tokenized whole (parse_insert)
            try:
                self.on_insert(sql)
            except SrError as e:
                self.emu.bump("mysql_refused")
                self.send_error(e)
            except UpstreamError as e:
                self.send_upstream_err(e.resp)
            return
        toks = tokenize(sql)
        stmts = split_statements(toks)
        if not stmts:
            self.forward_query(sql)
            return
        if len(stmts) > 1:
            self.send_error(plain_error(1064, "HY000", "emulator: one statement per query, got %d" % len(stmts)))
            return
        st = stmts[0]
        text = sql[st[0].pos:st[-1].pos].strip()
        try:
            self.dispatch(st, text, sql)
        except SrError as e:
            self.emu.bump("mysql_refused")
            self.send_error(e)
        except UpstreamError as e:
            self.send_upstream_err(e.resp)

    def on_prepare(self, sql, raw):
        toks = tokenize(sql)
        stmts = split_statements(toks)
        first = stmts[0][0] if stmts else None
        try:
            if first is not None and (first.kw("SELECT", "WITH") or first.op("(")):
                new = self.rewrite_select(sql, stmts[0])
                self.uio.send(0, b"\x16" + new.encode("utf-8", "surrogateescape"))
                self.relay("prepare")
                return
            if first is not None and first.kw("INSERT") and self.emu.cfg("prepared_dml"):
                new, _ = self.rewrite_insert(sql)
                self.uio.send(0, b"\x16" + new.encode("utf-8", "surrogateescape"))
                self.relay("prepare")
                return
            # ConnectProcessor.executeQueryAttempt: a COM_STMT_PREPARE whose
            # statement is not a query is ERR_UNSUPPORTED_PS (1295, HY000);
            # docs prepared_statement.md: "only SELECT statements".
            raise plain_error(1295, "HY000", "This command is not supported in the prepared statement protocol yet")
        except SrError as e:
            self.send_error(e)
        except UpstreamError as e:
            self.send_upstream_err(e.resp)

    # -- statements
    def dispatch(self, st, text, sql):
        first = st[0]
        kw = first.val if first.kind == "ident" else first.text
        if first.kw("SELECT", "WITH") or first.op("("):
            self.forward_query(self.rewrite_select(text, st))
        elif kw == "SHOW":
            self.on_show(st, text)
        elif kw in ("DESC", "DESCRIBE", "EXPLAIN"):
            self.on_desc(st, text)
        elif kw == "SET":
            self.on_set(st, text)
        elif kw == "USE":
            self.on_use(st, text)
        elif kw == "CREATE":
            self.on_create(st, text)
        elif kw == "DROP":
            self.on_drop(st, text)
        elif kw == "ALTER":
            self.on_alter(st, text)
        elif kw == "TRUNCATE":
            self.on_truncate(st, text)
        elif kw == "INSERT":
            self.on_insert(text)
        elif kw == "DELETE":
            self.on_delete(st, text)
        elif kw == "UPDATE":
            self.on_update(st, text)
        elif kw in ("LOCK", "UNLOCK") and len(st) > 1 and st[1].kw("TABLES", "TABLE"):
            # unsupportedStatement: parsed, then answered OK
            # (StmtExecutor.handleUnsupportedStmt).
            self.send_ok()
        elif kw in ("BEGIN", "START", "COMMIT", "ROLLBACK"):
            # In the 3.x grammar these are unsupportedStatement too: OK and
            # no transaction (each INSERT commits as its own load).
            if not self.no_op_transaction(st):
                raise syntax_error(next((t for t in st[1:] if t.kw("TO", "SAVEPOINT", "READ", "ISOLATION")), st[-1]))
            self.send_ok()
        elif kw in ("REPLACE", "LOAD", "HANDLER", "DO", "CALL", "RENAME", "OPTIMIZE", "REPAIR", "CHECKSUM",
                    "CHECK", "PURGE", "XA", "SAVEPOINT", "RELEASE", "RESET", "FLUSH", "CACHE", "SHUTDOWN",
                    "SIGNAL", "RESIGNAL", "GET", "DECLARE", "PREPARE", "EXECUTE", "DEALLOCATE", "VALUES", "TABLE"):
            if kw in ("PREPARE", "EXECUTE", "DEALLOCATE"):
                self.forward_query(text)      # SQL-level prepared statements (3.2+)
                return
            raise syntax_error(first)
        else:
            self.forward_query(text)

    @staticmethod
    def no_op_transaction(st):
        words = [t.val for t in st if t.kind == "ident"]
        if len(words) != len(st) - 1:
            return False
        if words[0] == "START":
            return words[1:3] == ["TRANSACTION"] or words[1:] == ["TRANSACTION"]
        if words[0] == "BEGIN":
            return words[1:] in ([], ["WORK"])
        return "TO" not in words and "SAVEPOINT" not in words

    # SELECT: the functions and variables whose answer is StarRocks'
    def rewrite_select(self, text, st):
        ver = self.front.args.version_string
        edits = []
        n = len(st)
        for i, t in enumerate(st):
            nxt = st[i + 1] if i + 1 < n else None
            if t.kind == "ident" and t.val in ("CURRENT_VERSION", "VERSION") and nxt is not None and nxt.op("(") \
                    and i + 2 < n and st[i + 2].op(")") and not (i > 0 and st[i - 1].op(".")):
                val = ver if t.val == "CURRENT_VERSION" else SR_SERVER_VERSION.decode()
                edits.append((t.pos, st[i + 2].end, quote_str(val), st[i + 3] if i + 3 < n else None,
                              "%s()" % t.text.lower()))
            elif t.name is not None and t.name.lower() == "information_schema" and nxt is not None and nxt.op(".") \
                    and i + 2 < n and (st[i + 2].name or "").lower() == "columns" \
                    and not (i + 3 < n and st[i + 3].op(".")):
                derived = self.columns_view()
                if derived is not None:
                    after = st[i + 3] if i + 3 < n else None
                    has_alias = after is not None and (after.kind == "qident" or after.kw("AS") or (
                        after.kind == "ident" and after.val not in TABLE_REF_FOLLOWERS))
                    edits.append((t.pos, st[i + 2].end, derived + ("" if has_alias else " AS `COLUMNS`"), None, None))
            elif t.kind == "var" and t.val.startswith("@@"):
                name = re.sub(r"^@@(session\.|global\.|local\.)?", "", t.val).strip("`'")
                low = name.lower()
                if low in ("version", "version_comment"):
                    val = SR_SERVER_VERSION.decode() if low == "version" else "StarRocks version %s" % ver
                elif low in sr_sql.SHARED_VARIABLES or low in MARIADB_SHARED:
                    continue
                elif low in sr_sql.SR_VARIABLES:
                    val = self.vars.get(low, sr_sql.SR_DEFAULTS.get(low, ""))
                else:
                    raise sr_sql.unknown_variable(name)
                edits.append((t.pos, t.end, quote_str(val), nxt, t.text))
        if not edits:
            return text
        base = st[0].pos
        out = []
        last = 0
        for start, end, rep, after, alias in edits:
            out.append(text[last:start - base])
            out.append(rep)
            if alias is None:
                last = end - base
                continue
            if after is None or after.kind == "eof" or after.op(",", ")") or after.kw("FROM", "LIMIT", "UNION",
                                                                                       "ORDER", "WHERE", "INTO"):
                if not (after is not None and after.op(")")):
                    out.append(" AS " + quote_ident(alias))
            last = end - base
        out.append(text[last:])
        return "".join(out)

    def columns_view(self):
        """information_schema.COLUMNS with the types of the tables made
        here as StarRocks' information_schema gives them (COLUMN_TYPE,
        DATA_TYPE, COLUMN_KEY; be/src/exec/schema_scanner/
        schema_columns_scanner.cpp), as a derived table; None when there
        is nothing to change."""
        tables = self.meta.all_valid()
        if not tables:
            return None
        front = self.front
        if front.columns_of_columns is None:
            r = self.up_ok("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                           "'information_schema' AND TABLE_NAME = 'COLUMNS' ORDER BY ORDINAL_POSITION")
            front.columns_of_columns = [x[0] for x in r.rows]
        keyname = {"PRIMARY": "PRI", "UNIQUE": "UNI", "AGGREGATE": "AGG", "DUPLICATE": "DUP"}
        rows = []
        for (db, tbl), td in sorted(tables.items()):
            for c in td.columns:
                dt, ct = c.type.schema_types()
                fmt = "SELECT %s, %s, %s, %s, %s, %s" if rows else \
                    "SELECT %s AS s, %s AS t, %s AS n, %s AS dt, %s AS ct, %s AS ck"
                rows.append(fmt % (quote_str(db), quote_str(tbl), quote_str(c.name), quote_str(dt), quote_str(ct),
                                   quote_str(keyname[td.model] if c.key else "")))
        cols = []
        for name in front.columns_of_columns:
            q = quote_ident(name)
            if name in ("DATA_TYPE", "COLUMN_TYPE", "COLUMN_KEY"):
                src = {"DATA_TYPE": "dt", "COLUMN_TYPE": "ct", "COLUMN_KEY": "ck"}[name]
                cols.append("IF(m.s IS NULL, c.%s, m.%s) AS %s" % (q, src, q))
            else:
                cols.append("c.%s" % q)
        return ("(SELECT %s FROM information_schema.COLUMNS c LEFT JOIN (%s) m "
                "ON m.s = c.TABLE_SCHEMA AND m.t = c.TABLE_NAME AND m.n = c.COLUMN_NAME)"
                % (", ".join(cols), " UNION ALL ".join(rows)))

    def on_show(self, st, text):
        p = Parser(st, text)
        p.next()
        if p.peek().kw("CREATE") and p.peek(1).kw("TABLE"):
            p.next(), p.next()
            db, tbl = p.qualified_name()
            db = self.need_db(db)
            td = self.table_def(db, tbl)
            td.name = tbl
            self.send_rows(["Table", "Create Table"], [[tbl, sr_sql.show_create(td)]])
            return
        if p.peek().kw("DATABASES", "SCHEMAS") and p.peek(1).kind == "eof":
            self.forward_query("SHOW DATABASES WHERE `Database` <> %s" % quote_str(sr_sql.META_DB))
            return
        self.forward_query(text)

    def on_desc(self, st, text):
        p = Parser(st, text)
        p.next()
        t = p.peek()
        if t.name is not None and not t.kw("SELECT", "WITH", "INSERT", "UPDATE", "DELETE", "FILES", "FORMAT",
                                          "EXTENDED", "PARTITIONS", "VERBOSE", "LOGICAL", "COSTS", "ANALYZE"):
            db, tbl = p.qualified_name()
            p.accept_kw("ALL")
            if p.at_end():
                db = self.need_db(db)
                td = self.table_def(db, tbl)
                names, rows = sr_sql.desc_rows(td)
                self.send_rows(names, rows)
                return
        self.forward_query(text)

    def on_use(self, st, text):
        p = Parser(st, text)
        p.next()
        if p.peek().kw("CATALOG", "WAREHOUSE") or p.peek().kind == "str":
            self.send_ok()
            return
        db, name = p.qualified_name()
        if db is not None:
            if db != "default_catalog":
                raise analysis_error("emulator: only default_catalog exists, not %s" % db)
        r = self.up_exec("USE " + quote_ident(name))
        if r.kind == "ok":
            self.db = name
            self.send_ok()
        else:
            self.send_upstream_err(r)

    # SET
    def on_set(self, st, text):
        p = Parser(st, text)
        p.next()
        t = p.peek()
        if t.kw("NAMES", "CHARSET", "PASSWORD", "ROLE", "DEFAULT", "TRANSACTION") or \
                (t.kw("CHARACTER", "CHAR") and p.peek(1).kw("SET")):
            if t.kw("ROLE", "DEFAULT"):
                self.send_ok()
            else:
                self.forward_query(text)
            return
        if t.kw("CATALOG"):
            self.send_ok()
            return
        forwarded = []
        while True:
            scope = "SESSION"
            t = p.peek()
            if t.kw("GLOBAL", "SESSION", "LOCAL"):
                scope = "GLOBAL" if t.val == "GLOBAL" else "SESSION"
                p.next()
                t = p.peek()
            if t.kind == "var" and not t.val.startswith("@@"):
                # a user variable: MariaDB keeps it
                p.next()
                p.expect_op("=", ":=")
                start = p.peek()
                self._skip_value(p)
                forwarded.append("%s = %s" % (t.text, text[start.pos - st[0].pos:p.peek().pos - st[0].pos]))
            else:
                if t.kind == "var":
                    p.next()
                    name = t.val[2:]
                    m = re.match(r"(session|global|local)\.(.*)", name)
                    if m:
                        scope = "GLOBAL" if m.group(1) == "global" else "SESSION"
                        name = m.group(2)
                    name = name.strip("`")
                else:
                    name = p.identifier()
                    while p.accept_op("."):
                        name += "." + p.identifier()
                p.expect_op("=", ":=")
                start = p.peek()
                self._skip_value(p)
                vtext = text[start.pos - st[0].pos:p.peek().pos - st[0].pos].strip()
                low = name.lower()
                if low not in sr_sql.SR_VARIABLES:
                    raise sr_sql.unknown_variable(name)
                value = self._literal(start, vtext)
                if low in sr_sql.INT_VARIABLES and not re.fullmatch(r"-?\d+", value or ""):
                    if not (start.kw("DEFAULT")):
                        # ERR_WRONG_TYPE_FOR_VAR (1232, 42000)
                        raise plain_error(1232, "42000", "Incorrect argument type to variable '%s'" % name)
                if scope == "SESSION":
                    self.vars[low] = value
                    if low in sr_sql.SHARED_VARIABLES:
                        forwarded.append("SESSION %s = %s" % (sr_sql.SHARED_VARIABLES[low], vtext))
                    elif low in ("query_timeout", "max_execution_time") and value and value.lstrip("-").isdigit():
                        secs = int(value) if low == "query_timeout" else int(value) / 1000.0
                        forwarded.append("SESSION max_statement_time = %s" % secs)
            if p.accept_op(","):
                continue
            break
        p.accept_op(";")
        if not p.at_end():
            raise syntax_error(p.peek(), ["','", "<EOF>"])
        for f in forwarded:
            r = self.up_exec("SET " + f)
            if r.kind == "err" and r.errno not in (1193, 1238, 1621, 1231):
                self.send_upstream_err(r)
                return
        self.send_ok()

    @staticmethod
    def _skip_value(p):
        Session._skip_value_until(p, ())

    @staticmethod
    def _skip_value_until(p, words):
        depth = 0
        while True:
            t = p.peek()
            if t.kind == "eof" or (depth == 0 and (t.op(",", ";") or (words and t.kw(*words)))):
                return
            if t.op("("):
                depth += 1
            elif t.op(")"):
                depth -= 1
            p.next()

    @staticmethod
    def _literal(tok, vtext):
        if tok.kind == "str":
            return tok.val
        if tok.kw("TRUE", "ON"):
            return "true"
        if tok.kw("FALSE", "OFF"):
            return "false"
        return vtext

    # DDL
    def on_create(self, st, text):
        p = Parser(st, text)
        p.next()
        j = 0
        while p.peek(j).kw("TEMPORARY", "EXTERNAL"):
            j += 1
        what = p.peek(j)
        if what.kw("TABLE"):
            self.create_table(st, text)
        elif what.kw("DATABASE", "SCHEMA"):
            self.create_database(st, text)
        elif what.kw("INDEX"):
            # CREATE INDEX ... USING BITMAP: the index is StarRocks' business
            self.send_ok()
        else:
            self.forward_query(text)

    def create_table(self, st, text):
        res = sr_sql.parse_create_table(st, text)
        if res[0] == "like":
            _, db, name, sdb, sname, ine = res
            db = self.need_db(db)
            sdb = sdb or db
            if self.table_def(db, name, required=False) is not None:
                if ine:
                    self.send_ok()
                    return
                raise plain_error(1050, "42S01", "Getting analyzing error. Detail message: Table '%s' already exists."
                                  % name)
            src = self.table_def(sdb, sname)
            self.up_ok("CREATE TABLE %s.%s LIKE %s.%s" % (quote_ident(db), quote_ident(name), quote_ident(sdb),
                                                          quote_ident(sname)))
            src.name = name
            self.meta.put(db, src)
            self.send_ok()
            return
        if res[0] == "ctas":
            _, td, body, names = res
            db = self.need_db(td.db)
            if self.table_def(db, td.name, required=False) is not None:
                if td.if_not_exists:
                    self.send_ok()
                    return
                raise plain_error(1050, "42S01", "Getting analyzing error. Detail message: Table '%s' already exists."
                                  % td.name)
            cols = "(%s) " % ", ".join(quote_ident(n) for n in names) if names else ""
            r = self.up_ok("CREATE TABLE %s.%s %sAS %s" % (quote_ident(db), quote_ident(td.name), cols,
                                                          self.rewrite_select(body, tokenize(body))))
            made = self.table_def(db, td.name)
            made.model = td.model or "DUPLICATE"
            if td.keys_given:
                made.keys = td.keys
            made.distribution = td.distribution or {"kind": "RANDOM", "cols": [], "buckets": None}
            made.properties = td.properties
            made.comment = td.comment
            for c in made.columns:
                c.key = c.name in made.keys
            if made.model != "DUPLICATE":
                self.up_ok("ALTER TABLE %s.%s ADD PRIMARY KEY (%s)" % (quote_ident(db), quote_ident(td.name),
                                                                      ", ".join(quote_ident(k) for k in made.keys)))
            self.meta.put(db, made)
            self.send_ok(r.affected)
            return
        td = res[1]
        db = self.need_db(td.db)
        if self.table_def(db, td.name, required=False) is not None:
            if td.if_not_exists:
                self.send_ok()
                return
            # ERR_TABLE_EXISTS_ERROR (1050, 42S01)
            raise plain_error(1050, "42S01", "Getting analyzing error. Detail message: Table '%s' already exists."
                              % td.name)
        td.if_not_exists = False
        self.up_ok(sr_sql.mariadb_ddl(td, db))
        self.meta.put(db, td)
        self.send_ok()

    def create_database(self, st, text):
        p = Parser(st, text)
        p.next()
        p.expect_kw("DATABASE", "SCHEMA")
        ine = p.accept_seq("IF", "NOT", "EXISTS")
        db, name = p.qualified_name()
        if db is not None and db != "default_catalog":
            raise analysis_error("emulator: only default_catalog exists, not %s" % db)
        r = self.up_exec("CREATE DATABASE %s%s CHARACTER SET utf8mb4" % ("IF NOT EXISTS " if ine else "",
                                                                          quote_ident(name)))
        if r.kind == "err":
            self.send_upstream_err(r)
        else:
            self.send_ok(r.affected)

    def on_drop(self, st, text):
        p = Parser(st, text)
        p.next()
        p.accept_kw("TEMPORARY")
        t = p.peek()
        if t.kw("TABLE"):
            p.next()
            ie = p.accept_seq("IF", "EXISTS")
            db, tbl = p.qualified_name()
            p.accept_kw("FORCE")
            p.accept_op(";")
            if not p.at_end():
                raise syntax_error(p.peek(), ["'FORCE'", "<EOF>"])
            db = self.need_db(db)
            r = self.up_exec("DROP TABLE %s%s.%s" % ("IF EXISTS " if ie else "", quote_ident(db), quote_ident(tbl)))
            if r.kind == "err":
                self.send_upstream_err(r)
                return
            self.meta.delete(db, tbl)
            self.send_ok()
        elif t.kw("DATABASE", "SCHEMA"):
            p.next()
            ie = p.accept_seq("IF", "EXISTS")
            cat, name = p.qualified_name()
            p.accept_kw("FORCE")
            r = self.up_exec("DROP DATABASE %s%s" % ("IF EXISTS " if ie else "", quote_ident(name)))
            if r.kind == "err":
                self.send_upstream_err(r)
                return
            self.meta.delete(name)
            if self.db == name:
                self.db = None
            self.send_ok(r.affected)
        elif t.kw("INDEX"):
            self.send_ok()
        else:
            self.forward_query(text)

    def on_truncate(self, st, text):
        p = Parser(st, text)
        p.next()
        p.expect_kw("TABLE")        # truncateTableStatement: TRUNCATE TABLE name
        db, tbl = p.qualified_name()
        if p.peek().kw("PARTITION", "PARTITIONS", "TEMPORARY"):
            while not p.at_end():
                p.next()
        p.accept_op(";")
        if not p.at_end():
            raise syntax_error(p.peek(), ["'PARTITION'", "<EOF>"])
        db = self.need_db(db)
        td = self.meta.get(db, tbl)
        self.up_ok("TRUNCATE TABLE %s.%s" % (quote_ident(db), quote_ident(tbl)))
        if td is not None:
            self.meta.put(db, td)       # MariaDB re-creates the table: a new CREATE_TIME
        self.send_ok()

    def on_alter(self, st, text):
        p = Parser(st, text)
        p.next()
        if not p.peek().kw("TABLE"):
            if p.peek().kw("DATABASE", "SYSTEM", "USER", "RESOURCE", "ROUTINE", "LOAD", "MATERIALIZED",
                           "CATALOG", "STORAGE", "WAREHOUSE", "PLAN", "TASK", "PIPE", "VIEW"):
                self.forward_query(text)
                return
            raise syntax_error(p.peek(), ["'TABLE'"])
        p.next()
        db, tbl = p.qualified_name()
        db = self.need_db(db)
        td = self.table_def(db, tbl)
        td.name = tbl
        ops = []
        new_name = None
        while True:
            t = p.peek()
            if t.kw("RENAME"):
                p.next()
                if p.accept_kw("COLUMN"):
                    old = p.identifier()
                    new = p.identifier()
                    c = td.column(old)
                    if c is None:
                        raise analysis_error("Column[%s] does not exist" % old)
                    ops.append("RENAME COLUMN %s TO %s" % (quote_ident(c.name), quote_ident(new)))
                    for lst in (td.keys, td.order_by, (td.distribution or {}).get("cols", [])):
                        for i, k in enumerate(lst):
                            if k.lower() == c.name.lower():
                                lst[i] = new
                    c.name = new
                elif p.peek().kw("ROLLUP", "PARTITION"):
                    raise analysis_error("emulator: ALTER TABLE RENAME %s is not supported" % p.peek().val)
                else:
                    new_name = p.identifier()
            elif t.kw("COMMENT"):
                p.next()
                p.expect_op("=")
                td.comment = p.string()
            elif t.kw("SET"):
                p.next()
                props = dict(td.properties)
                for k, v in p.property_list():
                    props[k] = v
                td.properties = list(props.items())
            elif t.kw("ADD") and p.peek(1).kw("COLUMN"):
                p.next(), p.next()
                defs = []
                if p.peek().op("("):
                    p.next()
                    while True:
                        defs.append(sr_sql.parse_column(p))
                        if not p.accept_op(","):
                            break
                    p.expect_op(")")
                else:
                    defs.append(self._alter_column(p))
                pos = self._position(p)
                for c in defs:
                    self._check_new_column(td, c)
                    ops.append("ADD COLUMN %s%s" % (self._mariadb_column(c), pos))
                    td.columns.append(c)
                self._skip_rollup_props(p)
            elif t.kw("DROP") and p.peek(1).kw("COLUMN"):
                p.next(), p.next()
                name = p.identifier()
                c = td.column(name)
                if c is None:
                    raise analysis_error("Column does not exists: %s" % name)
                if c.key and td.model != "DUPLICATE":
                    raise analysis_error("Can not drop key column in %s table" % td.model.capitalize())
                ops.append("DROP COLUMN %s" % quote_ident(c.name))
                td.columns.remove(c)
                self._skip_rollup_props(p)
            elif t.kw("MODIFY") and p.peek(1).kw("COLUMN"):
                p.next(), p.next()
                c = self._alter_column(p)
                old = td.column(c.name)
                if old is None:
                    raise analysis_error("Column[%s] does not exists" % c.name)
                c.key = old.key
                if td.model == "AGGREGATE" and not c.key and not c.agg:
                    c.agg = old.agg
                pos = self._position(p)
                ops.append("MODIFY COLUMN %s%s" % (self._mariadb_column(c), pos))
                td.columns[td.columns.index(old)] = c
                self._skip_rollup_props(p)
            elif (t.kw("ADD") and p.peek(1).kw("INDEX")) or (t.kw("DROP") and p.peek(1).kw("INDEX")):
                # ADD INDEX name (cols) [USING BITMAP] / DROP INDEX name
                p.next(), p.next()
                p.identifier()
                if t.kw("ADD"):
                    p.identifier_list()
                    if p.accept_kw("USING"):
                        p.next()
                    if p.accept_kw("COMMENT"):
                        p.string()
            else:
                raise syntax_error(t, ["'ADD'", "'DROP'", "'MODIFY'", "'RENAME'", "'SET'", "'COMMENT'"])
            if not p.accept_op(","):
                break
        p.accept_op(";")
        if not p.at_end():
            raise syntax_error(p.peek(), ["','", "<EOF>"])
        if ops:
            self.up_ok("ALTER TABLE %s.%s %s" % (quote_ident(db), quote_ident(tbl), ", ".join(ops)))
        if new_name:
            self.up_ok("RENAME TABLE %s.%s TO %s.%s" % (quote_ident(db), quote_ident(tbl), quote_ident(db),
                                                       quote_ident(new_name)))
            self.meta.delete(db, tbl)
            td.name = new_name
        self.meta.put(db, td)
        self.send_ok()

    @staticmethod
    def _alter_column(p):
        # parse_column stops at ',' or ')'; ALTER adds FIRST / AFTER / TO
        save = p.toks
        end = p.i
        depth = 0
        while True:
            t = save[end]
            if t.kind == "eof" or (depth == 0 and (t.op(",") or t.kw("FIRST", "AFTER", "TO", "IN", "FROM",
                                                                    "PROPERTIES"))):
                break
            if t.op("(", "<"):
                depth += 1
            elif t.op(")", ">"):
                depth -= 1
            end += 1
        sub = save[p.i:end] + [sr_sql.Tok("op", ")", ")", save[end].pos, save[end].pos, save[end].line,
                                          save[end].col)]
        q = Parser(sub, p.sql)
        c = sr_sql.parse_column(q)
        p.i = end
        return c

    @staticmethod
    def _position(p):
        if p.accept_kw("FIRST"):
            return " FIRST"
        if p.accept_kw("AFTER"):
            return " AFTER " + quote_ident(p.identifier())
        return ""

    @staticmethod
    def _skip_rollup_props(p):
        if p.accept_kw("TO", "IN", "FROM"):
            p.identifier()
        if p.accept_kw("PROPERTIES"):
            p.property_list()

    @staticmethod
    def _check_new_column(td, c):
        if td.column(c.name) is not None:
            raise plain_error(1060, "42S21", "Getting analyzing error. Detail message: Duplicate column name '%s'."
                              % c.name)
        if td.model == "AGGREGATE" and not c.key and not c.agg:
            raise analysis_error("Can not add value column without aggregation type for AGGREGATE table")
        if td.model != "AGGREGATE" and c.agg and c.agg != "REPLACE":
            raise analysis_error("Can not assign aggregation method on column in %s data model table: %s"
                                 % (td.model.capitalize(), c.name))
        if c.auto_increment:
            raise analysis_error("emulator: AUTO_INCREMENT columns cannot be added")
        if c.nullable is None:
            c.nullable = True

    @staticmethod
    def _mariadb_column(c):
        if c.nullable is None:
            c.nullable = True
        mtype, _, _ = c.type.mariadb()
        s = "%s %s %s" % (quote_ident(c.name), mtype, "NULL" if c.nullable else "NOT NULL")
        s += sr_sql.mariadb_default(c)
        if c.comment:
            s += " COMMENT %s" % quote_str(c.comment[:1024])
        s += sr_sql.mariadb_check(c)
        return s

    # DML
    def insert_label(self):
        return "insert_" + uuid.uuid4().hex

    def dml_info(self, prefix="insert"):
        """StmtExecutor: the OK packet of an INSERT (or DELETE) carries
        {'label':'...', 'status':'VISIBLE', 'txnId':'N'}."""
        return "{'label':'%s_%s', 'status':'VISIBLE', 'txnId':'%d'}" % (prefix, uuid.uuid4().hex,
                                                                        self.emu.new_txn_id())

    @staticmethod
    def insert_head(sql):
        """The tokens of an INSERT up to its body (VALUES, or the query),
        and the body's first token; the body itself is only scanned
        (sr_sql.scan_tail), so that a long VALUES list costs little."""
        head = []
        it = sr_sql.itokenize(sql)
        for t in it:
            if t.kw("WITH"):
                n = next(it)
                if n.kw("LABEL"):
                    head += [t, n]
                    continue
                return head, t
            if t.kw("VALUES", "SELECT", "VALUE", "SET") or t.kind == "eof":
                if t.kw("SELECT") and head and head[-1].op("("):
                    return head[:-1], head[-1]
                return head, t
            head.append(t)
        return head, head[-1]

    def parse_insert(self, sql):
        head, body = self.insert_head(sql)
        p = Parser(head + [sr_sql.Tok("eof", "", "", body.pos, body.pos, body.line, body.col)], sql)
        p.expect_kw("INSERT")
        t = p.peek()
        if not t.kw("INTO", "OVERWRITE"):
            raise syntax_error(t, ["'INTO'", "'OVERWRITE'"])
        p.next()
        overwrite = t.kw("OVERWRITE")
        p.accept_kw("TABLE")
        db, tbl = p.qualified_name()
        if p.accept_kw("TEMPORARY"):
            p.expect_kw("PARTITION", "PARTITIONS")
            p.skip_balanced() if p.peek().op("(") else p.identifier()
        elif p.peek().kw("PARTITION", "PARTITIONS"):
            p.next()
            p.skip_balanced() if p.peek().op("(") else p.identifier()
        if p.peek().kw("WITH") and p.peek(1).kw("LABEL"):
            p.next(), p.next()
            p.identifier()
        cols = None
        if p.peek().op("("):
            cols = p.identifier_list()
        elif p.peek().kw("BY") and p.peek(1).kw("NAME"):
            p.next(), p.next()
        if p.accept_kw("PROPERTIES"):
            p.property_list()
        if not p.at_end():
            raise syntax_error(p.peek(), ["'VALUES'", "'SELECT'", "'WITH'", "'('"])
        if not (body.kw("VALUES", "SELECT", "WITH") or body.op("(")):
            raise syntax_error(body, ["'VALUES'", "'SELECT'", "'WITH'", "'('"])
        groups, end, words = sr_sql.scan_tail(sql, body.pos)
        if ";" in words:
            raise plain_error(1064, "HY000", "emulator: one statement per query")
        tuples = None
        if body.kw("VALUES"):
            tuples = groups
            if words != ["VALUES"] or not tuples:
                # after VALUES: '(' groups and ',' only
                bad = self._body_token(sql, body, end, lambda t, prev: not t.op("(", ","))
                raise syntax_error(bad, ["','", "<EOF>"] if tuples else ["'('"])
        else:
            for i, w in enumerate(words):
                if w == "RETURNING" or (w == "ON" and words[i + 1:i + 2] == ["DUPLICATE"]):
                    bad = self._body_token(sql, body, end, lambda t, prev: t.kw(w))
                    raise syntax_error(bad, ["<EOF>", "';'"])
        body_sql = sql[body.pos:end].strip()
        return overwrite, db, tbl, cols, body_sql, tuples

    @staticmethod
    def _body_token(sql, body, end, pred):
        """The first top-level token of sql[body.pos:end] after the first
        for which pred holds, with its line and column in sql."""
        toks = sr_sql.tokenize(sql[body.pos:end])
        depth = 0
        prev = None
        for t in toks[1:]:
            if t.kind == "eof" or (depth == 0 and pred(t, prev)):
                line = t.line + body.line - 1
                col = t.col + (body.col if t.line == 1 else 0)
                return sr_sql.Tok(t.kind, t.text, t.val, t.pos + body.pos, t.end + body.pos, line, col)
            if t.op("("):
                depth += 1
            elif t.op(")"):
                depth -= 1
            prev = t
        return toks[-1]

    def rewrite_insert(self, sql):
        overwrite, db, tbl, cols, body_sql, tuples = self.parse_insert(sql)
        db = self.need_db(db)
        td = self.table_def(db, tbl)
        if cols is not None:
            for c in cols:
                if td.column(c) is None:
                    raise analysis_error("Unknown column '%s' in '%s'" % (c, tbl))
        target = "%s.%s" % (quote_ident(db), quote_ident(tbl))
        collist = " (%s)" % ", ".join(quote_ident(td.column(c).name) for c in cols) if cols is not None else ""
        verb = sr_sql.upsert_verb(td.model)
        out = "%s INTO %s%s %s" % (verb, target, collist, body_sql)
        if td.model == "AGGREGATE":
            out += sr_sql.agg_suffix(td)
        return out, (overwrite, target, tuples)

    def on_insert(self, sql):
        new, (overwrite, target, tuples) = self.rewrite_insert(sql)
        if overwrite:
            self.up_ok("DELETE FROM %s" % target)
        r = self.up_ok(new)
        m = re.search(r"Records:\s*(\d+)", r.info or "")
        rows = int(m.group(1)) if m else (tuples if tuples is not None else r.affected)
        self.send_ok(rows, self.dml_info(), r.warnings)

    def on_delete(self, st, text):
        p = Parser(st, text)
        if p.peek().kw("WITH"):
            # WITH cte DELETE ...: Primary Key tables only; MariaDB too
            self.forward_query(text)
            return
        p.expect_kw("DELETE")
        if not p.peek().kw("FROM"):
            raise syntax_error(p.peek(), ["'FROM'"])
        p.next()
        db, tbl = p.qualified_name()
        partitions = False
        if p.peek().kw("PARTITION", "PARTITIONS"):
            p.next()
            partitions = True
            p.skip_balanced() if p.peek().op("(") else p.identifier()
        using = None
        if p.accept_kw("USING"):
            start = p.peek()
            while not p.at_end() and not p.peek().kw("WHERE"):
                p.next()
            using = p.text_from(start)
        if not p.peek().kw("WHERE"):
            if p.at_end():
                raise analysis_error("Delete must specify where clause to prevent full table delete")
            raise syntax_error(p.peek(), ["'WHERE'", "'USING'", "'PARTITION'"])
        p.next()
        wstart = p.peek()
        db = self.need_db(db)
        td = self.table_def(db, tbl)
        target = "%s.%s" % (quote_ident(db), quote_ident(tbl))
        base = st[0].pos
        where = text[wstart.pos - base:st[-1].pos - base].strip().rstrip(";")
        if td.model == "PRIMARY":
            # DELETE.md: Primary Key tables take any WHERE, USING and CTEs,
            # but no PARTITION.
            if partitions:
                raise analysis_error("Delete for primary key table do not support specifying partitions")
            if using:
                sql = "DELETE FROM %s USING %s, %s WHERE %s" % (target, target, using, where)
            else:
                sql = "DELETE FROM %s WHERE %s" % (target, where)
            r = self.up_ok(sql)
            self.send_ok(r.affected, self.dml_info("delete"), r.warnings)
            return
        if using:
            raise analysis_error("Delete with USING is only supported on primary key tables")
        self._check_delete_where(p, td)
        self.up_ok("DELETE FROM %s WHERE %s" % (target, where))
        # DeleteMgr answers OK with the label and no row count.
        self.send_ok(0, self.dml_info("delete"))

    @staticmethod
    def _check_delete_where(p, td):
        """DELETE.md: on Duplicate Key, Aggregate and Unique Key tables the
        conditions are `column op value|value_list` joined by AND, on key
        columns only unless the table is a Duplicate Key table, and not on
        FLOAT or DOUBLE columns (DeleteHandler's message)."""
        while True:
            t = p.peek()
            if t.op("("):
                raise analysis_error("Where clause only supports compound predicate, binary predicate, "
                                     "is_null predicate and in predicate")
            name = t.name
            if name is None:
                raise analysis_error("Where clause only supports compound predicate, binary predicate, "
                                     "is_null predicate and in predicate")
            p.next()
            c = td.column(name)
            if c is None:
                raise analysis_error("Unknown column '%s'" % name)
            if (not c.key and td.model != "DUPLICATE") or c.type.base in ("FLOAT", "DOUBLE"):
                raise analysis_error("Column[%s] is not key column or storage model is not duplicate or column "
                                     "type is float or double." % c.name)
            o = p.peek()
            if o.op("=", "<", ">", "<=", ">=", "!=", "<>"):
                p.next()
                v = p.next()
                if v.op("-", "+"):
                    v = p.next()
                if v.kind not in ("num", "str") and not v.kw("TRUE", "FALSE", "NULL"):
                    raise analysis_error("Right expr of binary predicate should be value")
            elif o.kw("IS"):
                p.next()
                p.accept_kw("NOT")
                p.expect_kw("NULL")
            elif o.kw("IN") or (o.kw("NOT") and p.peek(1).kw("IN")):
                if o.kw("NOT"):
                    p.next()
                p.next()
                p.expect_op("(")
                while True:
                    v = p.next()
                    if v.op("-"):
                        v = p.next()
                    if v.kind not in ("num", "str"):
                        raise analysis_error("Child of in predicate should be value")
                    if not p.accept_op(","):
                        break
                p.expect_op(")")
            else:
                raise analysis_error("Where clause only supports compound predicate, binary predicate, "
                                     "is_null predicate and in predicate")
            if p.accept_kw("AND"):
                continue
            if p.peek().kw("OR"):
                raise analysis_error("Compound predicate's op should be AND")
            p.accept_op(";")
            if not p.at_end():
                raise syntax_error(p.peek(), ["'AND'", "<EOF>"])
            return

    def on_update(self, st, text):
        p = Parser(st, text)
        if p.peek().kw("WITH"):
            self.forward_query(text)
            return
        p.expect_kw("UPDATE")
        db, tbl = p.qualified_name()
        db = self.need_db(db)
        td = self.table_def(db, tbl)
        if td.model != "PRIMARY":
            # UPDATE.md: only Primary Key tables support UPDATE.
            raise analysis_error("does not support update on %s table %s, only primary key table supports update"
                                 % (td.model.capitalize() + " Key" if td.model != "AGGREGATE" else "Aggregate", tbl))
        if not p.accept_kw("SET"):
            raise syntax_error(p.peek(), ["'SET'"])
        while True:
            name = p.identifier()
            c = td.column(name)
            if c is not None and c.key:
                raise analysis_error("primary key column cannot be updated: %s" % name)
            p.expect_op("=")
            self._skip_value_until(p, ("WHERE", "FROM"))
            if not p.accept_op(","):
                break
        if p.peek().kw("FROM"):
            raise analysis_error("emulator: UPDATE ... FROM is not supported")
        if not p.peek().kw("WHERE"):
            # UPDATE.md: the WHERE clause "is required".
            raise analysis_error("Update must specify where clause to prevent full table update")
        r = self.up_ok(text)
        self.send_ok(r.affected, self.dml_info("update"), r.warnings)


INSERT_START = re.compile(r"(?:\s+|/\*.*?\*/|--[^\n]*|#[^\n]*)*INSERT\b", re.I | re.S)

# Words that may follow a table reference without being its alias.
TABLE_REF_FOLLOWERS = frozenset("""WHERE JOIN LEFT RIGHT INNER CROSS NATURAL STRAIGHT_JOIN ON USING GROUP ORDER
LIMIT HAVING UNION WINDOW FOR LOCK INTO PROCEDURE EXCEPT INTERSECT MINUS FULL OUTER""".split())

# MariaDB system variables that a SELECT @@name may read as they are
# (StarRocks has the same name).
MARIADB_SHARED = frozenset("""sql_mode character_set_database character_set_server collation_database collation_server
max_allowed_packet lower_case_table_names auto_increment_increment net_buffer_length system_time_zone
init_connect license language query_cache_size query_cache_type event_scheduler performance_schema
storage_engine default_storage_engine innodb_read_only sql_quote_show_create autocommit""".split())
