#!/usr/bin/env python3
"""Loopback HTTP server for the HTTP module's tests; behaviour is chosen by the request path.

Prints one line `READY http=<port> tls=<port> blackhole=<port> closed=<port> cert=<path>` once
listening (tls=0 when no certificate could be made), then serves until standard input closes,
so it never outlives the test process that started it; SIGTERM stops it too. Either way it
removes the temporary directory holding its certificate.

Paths (GET unless noted):
  /echo            POST: answers the request body; X-Received-* headers report what was sent
  /headers         the request headers as JSON, names lower-cased
  /gzip            a gzip-encoded text body (Content-Encoding: gzip) whatever was asked
  /status/<code>   that status with a short text body (503 and 429 add Retry-After)
  /redirect        302 to a URL holding credentials
  /sleep/<secs>    answers after sleeping
  /close           reads the request and closes the connection without answering
  /reset           reads the request and resets the connection (TCP RST)
  /partial         announces 1000 body bytes, sends 100, closes
  /trickle         announces 1000 bytes and sends one every half second
  /large?bytes=N   N bytes with Content-Length; byte i is i % 251
  /chunked?bytes=N the same body, chunked, without Content-Length
  /connection      JSON {client_port, request_number}: the number of this request on its connection
  any absolute-URI request (a proxied one): JSON {proxied_url}
The blackhole port accepts no connection (its backlog is full), so connecting to it hangs;
the closed port has nothing listening.
"""
import gzip
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PATTERN_BLOCK = bytes(range(251)) * 4000
GZIP_TEXT = ("The quick brown fox jumps over the lazy dog. " * 2000).encode()


def pattern_blocks(total):
    remaining = total
    while remaining > 0:
        block = PATTERN_BLOCK[: min(remaining, len(PATTERN_BLOCK))]
        remaining -= len(block)
        yield block


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        self.requests_on_connection = 0

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        self.route(b"")

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        self.route(self.rfile.read(length))

    def route(self, body):
        self.requests_on_connection += 1
        if self.path.startswith("http://"):
            return self.reply(200, json.dumps({"proxied_url": self.path}).encode(), "application/json")
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        parts = url.path.strip("/").split("/")
        name = parts[0]
        if name == "echo":
            return self.reply(200, body, "application/octet-stream", {
                "X-Received-Content-Type": self.headers.get("Content-Type", ""),
                "X-Received-Expect": self.headers.get("Expect", ""),
                "X-Received-Method": self.command,
            })
        if name == "headers":
            received = {key.lower(): value for key, value in self.headers.items()}
            return self.reply(200, json.dumps(received).encode(), "application/json", {"X-Mixed-Case": "Value"})
        if name == "gzip":
            compressed = gzip.compress(GZIP_TEXT)
            return self.reply(200, compressed, "text/plain", {
                "Content-Encoding": "gzip",
                "X-Received-Accept-Encoding": self.headers.get("Accept-Encoding", ""),
            })
        if name == "status":
            code = int(parts[1])
            extra = {"Retry-After": "1"} if code in (429, 503) else {}
            return self.reply(code, f"status {code} body:\n  server says   no".encode(), "text/plain", extra)
        if name == "redirect":
            return self.reply(302, b"moved", "text/plain",
                              {"Location": "https://admin:LocationSecret@elsewhere.invalid/x?token=LocationToken"})
        if name == "sleep":
            time.sleep(float(parts[1]))
            return self.reply(200, b"slept", "text/plain")
        if name == "close":
            self.close_connection = True
            return
        if name == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            os.close(self.connection.detach())
            self.close_connection = True
            return
        if name == "partial":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"p" * 100)
            self.wfile.flush()
            self.close_connection = True
            return
        if name == "trickle":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            for _ in range(1000):
                self.wfile.write(b"t")
                self.wfile.flush()
                time.sleep(0.5)
            return
        if name == "large":
            total = int(query["bytes"][0])
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(total))
            self.end_headers()
            for block in pattern_blocks(total):
                self.wfile.write(block)
            return
        if name == "chunked":
            total = int(query["bytes"][0])
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for block in pattern_blocks(total):
                self.wfile.write(b"%x\r\n" % len(block) + block + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
            return
        if name == "connection":
            answer = {"client_port": self.client_address[1], "request_number": self.requests_on_connection}
            return self.reply(200, json.dumps(answer).encode(), "application/json")
        return self.reply(404, b"unknown test path", "text/plain")

    def reply(self, code, body, content_type, extra_headers=None):
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (extra_headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # Clients that time out or abort on purpose leave broken pipes behind; not worth a traceback.
        pass


def make_certificate(directory):
    cert = os.path.join(directory, "cert.pem")
    key = os.path.join(directory, "key.pem")
    try:
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
             "-keyout", key, "-out", cert, "-subj", "/CN=localhost",
             "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
            check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        return None, None
    return cert, key


def serve(server):
    threading.Thread(target=server.serve_forever, daemon=True).start()


def main():
    http_server = QuietServer(("127.0.0.1", 0), Handler)
    serve(http_server)

    tls_port = 0
    cert_dir = tempfile.mkdtemp(prefix="http-test-server-")
    cert, key = make_certificate(cert_dir)
    if cert:
        tls_server = QuietServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        tls_server.socket = context.wrap_socket(tls_server.socket, server_side=True)
        tls_port = tls_server.server_address[1]
        serve(tls_server)

    # A listener whose accept queue (backlog 0 holds one connection) is full: the kernel drops
    # further SYNs, so a client's connect hangs until its own timeout.
    blackhole = socket.socket()
    blackhole.bind(("127.0.0.1", 0))
    blackhole.listen(0)
    fillers = [socket.create_connection(blackhole.getsockname())]

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    closed_port = probe.getsockname()[1]
    probe.close()

    print(f"READY http={http_server.server_address[1]} tls={tls_port} "
          f"blackhole={blackhole.getsockname()[1]} closed={closed_port} cert={cert or ''}", flush=True)
    def stop(*_):
        shutil.rmtree(cert_dir, ignore_errors=True)
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    sys.stdin.read()
    del fillers
    stop()


if __name__ == "__main__":
    main()
