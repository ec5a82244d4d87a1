#!/usr/bin/env python3
"""A StarRocks FE/BE that lies over HTTP: each request plays the scenario
named by the database in its path.  It redirects loads where datastore must
not follow, points ErrorURL at another server, answers with endless or huge
bodies and endless lines.  A second port (--capture-port) answers nothing
useful and only records who came: nothing of datastore's may ever arrive
there.

Tests only (test/t/hostile_http.sh).  Standard library only.  Every request,
on either port, is logged to --log as one JSON object per line: port, method,
path, and the request's headers.
"""
import argparse
import http.server
import json
import os
import re
import signal
import sys
import threading

LOG_LOCK = threading.Lock()
ARGS = None


def log(**kw):
    with LOG_LOCK, open(ARGS.log, "a") as f:
        f.write(json.dumps(kw) + "\n")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def note(self):
        log(port=self.server.server_port, method=self.command, path=self.path,
            headers={k.lower(): v for k, v in self.headers.items()})

    def read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            n = 0
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    return n
                self.rfile.read(size)
                self.rfile.readline()
                n += size
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        return length

    def read_body_bytes(self):
        data = b""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def send(self, status, body, ctype="application/json", extra=None):
        if isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def endless(self, first=b"", piece=b"x" * 65536, ctype="application/json"):
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            if first:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(first), first))
            while True:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def do_PUT(self):
        self.handle_any()

    def do_POST(self):
        self.handle_any()

    def do_GET(self):
        self.handle_any()

    def handle_any(self):
        self.note()
        if self.server.server_port == ARGS.capture_port:
            self.read_body()
            self.send(200, '{"Status": "Success", "captured": true}')
            return
        path = self.path.split("?")[0]
        m = re.match(r"^/api/([^/]+)/([^/]+)/_stream_load$", path)
        if m:
            return self.stream_load(m.group(1), "be=1" in self.path)
        m = re.match(r"^/api/([^/]+)/get_load_state$", path)
        if m:
            if m.group(1) == "endless_state":
                return self.endless(b'{"state": "')
            return self.send(200, '{"status": "OK", "state": "VISIBLE"}')
        if path == "/api/_load_error_log":
            return self.send(200, "Error: a line of the log\n" * 10, ctype="text/plain")
        m = re.match(r"^/api/v1/catalogs/[^/]+/databases/([^/]+)/sql$", path)
        if m:
            self.read_body()
            return self.sql(m.group(1))
        self.read_body()
        self.send(404, '{"status": "FAILED", "msg": "no such endpoint"}')

    def stream_load(self, db, at_be):
        me = "http://127.0.0.1:%d" % ARGS.port
        capture = "http://127.0.0.1:%d" % ARGS.capture_port
        if not at_be:
            self.read_body()
            where = {
                "redirect_path": me + "/api/other/t/_stream_load?be=1",
                "redirect_userinfo": "http://x:y@127.0.0.1:%d%s?be=1" % (ARGS.capture_port, self.path.split("?")[0]),
                # An empty user name: be_host's rewrite of the host must not
                # turn it into a user name and send the credentials on.
                "redirect_emptyuser": "http://:x@127.0.0.1:%d%s?be=1" % (ARGS.capture_port, self.path.split("?")[0]),
                "redirect_ftp": "ftp://127.0.0.1:%d%s" % (ARGS.capture_port, self.path.split("?")[0]),
            }.get(db, me + self.path.split("?")[0] + "?be=1")
            return self.send(307, "", extra={"Location": where, "Connection": "close"})
        if db == "capture_body":
            body = self.read_body_bytes()
            log(port=self.server.server_port, body=body.decode("utf-8", "replace"))
            return self.send(200, json.dumps({"Status": "Success", "Message": "OK", "NumberTotalRows": 1,
                                              "NumberLoadedRows": 1, "NumberFilteredRows": 0}))
        self.read_body()
        if db == "errorurl_elsewhere":
            return self.send(200, json.dumps({"Status": "Fail", "Message": "too many filtered rows",
                                              "ErrorURL": capture + "/api/_load_error_log?file=x"}))
        if db == "errorurl_same":
            return self.send(200, json.dumps({"Status": "Fail", "Message": "too many filtered rows",
                                              "ErrorURL": me + "/api/_load_error_log?file=x"}))
        if db == "huge_answer":
            return self.send(200, '{"Status": "Success", "Message": "' + "x" * (50 << 20) + '"}')
        return self.send(200, json.dumps({"Status": "Success", "Message": "OK", "NumberTotalRows": 1,
                                          "NumberLoadedRows": 1, "NumberFilteredRows": 0}))

    def sql(self, db):
        if db == "wide_meta":
            names = ",".join('{"name": "c%d", "type": "int"}' % i for i in range(20000))
            return self.send(200, '{"connectionId": 1}\n{"meta": [' + names + ']}\n', ctype="application/x-ndjson")
        if db == "meta_twice":
            meta = '{"meta": [{"name": "c%d", "type": "int"}]}\n'
            return self.send(200, '{"connectionId": 1}\n' + "".join(meta % i for i in range(1000)),
                             ctype="application/x-ndjson")
        if db == "endless_line":
            return self.endless(b'{"connectionId": 1}\n{"data": ["', ctype="application/x-ndjson")
        if db == "many_lines":
            body = ['{"connectionId": 1}', '{"meta": [{"name": "n", "type": "int"}]}']
            body += ['{"data": [%d]}' % i for i in range(200000)]
            body.append('{"statistics": {"scanRows": 0, "scanBytes": 0, "returnRows": 200000}}')
            return self.send(200, "\n".join(body) + "\n", ctype="application/x-ndjson")
        return self.send(200, '{"connectionId": 1}\n{"meta": [{"name": "one", "type": "int"}]}\n'
                              '{"data": [1]}\n{"statistics": {"returnRows": 1}}\n', ctype="application/x-ndjson")


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--capture-port", type=int, default=0)
    ap.add_argument("--pid-file", required=True)
    ap.add_argument("--log", required=True)
    ARGS = ap.parse_args()
    if ARGS.capture_port == 0:
        ARGS.capture_port = ARGS.port + 1
    servers = [http.server.ThreadingHTTPServer(("127.0.0.1", p), Handler)
               for p in (ARGS.port, ARGS.capture_port)]
    for s in servers:
        s.daemon_threads = True
        threading.Thread(target=s.serve_forever, daemon=True).start()
    with open(ARGS.pid_file, "w") as f:
        f.write(str(os.getpid()))
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    threading.Event().wait()


if __name__ == "__main__":
    main()
