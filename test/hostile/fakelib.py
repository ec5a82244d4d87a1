"""What the lying servers of test/hostile/ share: the command line, the
pid file, SIGTERM, and one thread per connection."""
import argparse
import os
import signal
import socket
import sys
import threading


def serve_tcp(serve):
    """Accepts connections on 127.0.0.1:--port for ever; serve(sock, log) in a thread each."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--pid-file", required=True)
    ap.add_argument("--log", required=True)
    args = ap.parse_args()
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", args.port))
    srv.listen(64)
    with open(args.pid_file, "w") as f:
        f.write(str(os.getpid()))
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    while True:
        s, _ = srv.accept()
        threading.Thread(target=serve, args=(s, args.log), daemon=True).start()
