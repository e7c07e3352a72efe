"""HTTP in front of the services: Odoo's routes, keep-alive, gzip, injected faults, the control API.

Routes: POST /xmlrpc/2/<service> (integer fault codes), POST /xmlrpc/<service> (the legacy string
codes), GET /web/login (the health check's page), GET /web/health, and /__control__/...
Faults answer with HTTP 200 and an XML-RPC fault, as Odoo does; only injected faults and unknown
routes answer otherwise.
"""
import gzip
import json
import logging
import socket
import struct
import threading
import time
import traceback
import urllib.parse
import xmlrpc.client
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import control
import errors
import faults
import wire

log = logging.getLogger("odoo_simulator")

LOGIN_PAGE = ("<!DOCTYPE html>\n<html lang=\"en-US\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>Odoo</title>\n"
              "</head>\n<body class=\"o_web_client\">\n<form class=\"oe_login_form\" role=\"form\" method=\"post\" "
              "action=\"/web/login\">\n<input type=\"text\" name=\"login\" id=\"login\"/>\n"
              "<input type=\"password\" name=\"password\" id=\"password\"/>\n"
              "<button type=\"submit\">Log in</button>\n</form>\n</body>\n</html>\n")
NOT_FOUND_PAGE = ("<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
                  "<p>The requested URL was not found on the server. If you entered the URL manually please check "
                  "your spelling and try again.</p>\n")
METHOD_NOT_ALLOWED_PAGE = ("<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n"
                           "<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested URL.</p>\n")


class Stats:
    """Counts the Odoo requests the simulator answered (control requests excluded)."""

    def __init__(self):
        self._lock = threading.Lock()
        self.requests = 0
        self.by_call: dict[str, int] = {}

    def reset(self):
        with self._lock:
            self.requests = 0
            self.by_call = {}

    def count(self, key: str):
        with self._lock:
            self.requests += 1
            self.by_call[key] = self.by_call.get(key, 0) + 1

    def describe(self, injected: int) -> dict:
        with self._lock:
            return {"requests": self.requests, "by_call": dict(sorted(self.by_call.items())),
                    "faults_injected": injected}


class SimulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, state):
        self.state = state
        self.control = control.Control(state)
        super().__init__(address, Handler)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Werkzeug/2.2.2"
    sys_version = "Python/3.11.7"
    timeout = 300  # idle keep-alive connections are closed after this many seconds
    # headers and body leave in separate writes: without TCP_NODELAY every small answer on a
    # keep-alive connection would wait out the client's delayed ACK (about 40 ms)
    disable_nagle_algorithm = True

    # -- plumbing ------------------------------------------------------------------------------
    def log_message(self, format, *args):
        if self.server.state.verbose:
            super().log_message(format, *args)

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, body: bytes, content_type: str, headers: dict | None = None,
              truncate_at: int | None = None, compressible: bool = True):
        encoding = None
        accept = self.headers.get("Accept-Encoding", "")
        minimum = self.server.state.gzip_min_bytes
        if compressible and minimum >= 0 and len(body) >= minimum and "gzip" in accept.lower():
            body = gzip.compress(body, compresslevel=1)
            encoding = "gzip"
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if encoding:
            self.send_header("Content-Encoding", encoding)
            self.send_header("Vary", "Accept-Encoding")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command == "HEAD":
            return
        if truncate_at is None:
            self.wfile.write(body)
            return
        self.wfile.write(body[:truncate_at])
        self._hang_up()

    def _hang_up(self, reset: bool = False):
        self.close_connection = True
        try:
            if reset:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            else:
                self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    # -- verbs ---------------------------------------------------------------------------------
    def do_GET(self):
        self._route("GET", b"")

    def do_HEAD(self):
        self._route("HEAD", b"")

    def do_DELETE(self):
        self._route("DELETE", self._read_body())

    def do_POST(self):
        self._route("POST", self._read_body())

    def _route(self, method: str, body: bytes):
        url = urllib.parse.urlsplit(self.path)
        path = url.path
        if path.startswith("/__control__/"):
            self._control(method, path, dict(urllib.parse.parse_qsl(url.query)), body)
            return
        parts = path.strip("/").split("/")
        if parts[0] == "xmlrpc" and len(parts) in (2, 3) and (len(parts) == 2 or parts[1] == "2"):
            if method != "POST":
                self._send(405, METHOD_NOT_ALLOWED_PAGE.encode(), "text/html; charset=utf-8",
                           {"Allow": "POST"}, compressible=False)
                return
            self._xmlrpc(path, parts[-1], legacy=len(parts) == 2, body=body)
            return
        rule = self._take_fault(faults.RequestInfo(path, None, None, None))
        if rule is not None and self._strike(rule):
            return
        if path in ("/web/login", "/web/login/") and method in ("GET", "HEAD", "POST"):
            self.server.state.stats.count(f"http {path}")
            self._send(200, LOGIN_PAGE.encode(), "text/html; charset=utf-8", compressible=False)
        elif path == "/web/health" and method in ("GET", "HEAD"):
            self.server.state.stats.count(f"http {path}")
            self._send(200, b'{"status": "pass"}', "application/json; charset=utf-8", compressible=False)
        else:
            self._send(404, NOT_FOUND_PAGE.encode(), "text/html; charset=utf-8", compressible=False)

    # -- control -------------------------------------------------------------------------------
    def _control(self, method, path, params, body):
        try:
            result = self.server.control.handle(method, path, params, body)
            status = 200
        except control.ControlError as error:
            result, status = {"error": str(error)}, 400
        except Exception as error:  # a simulator bug: say so loudly, keep serving
            log.error("control request %s failed:\n%s", path, traceback.format_exc())
            result, status = {"error": f"{type(error).__name__}: {error}"}, 500
        self._send(status, json.dumps(result).encode(), "application/json", compressible=False)

    # -- faults --------------------------------------------------------------------------------
    def _take_fault(self, info: faults.RequestInfo):
        return self.server.state.faults.take(info)

    def _strike(self, rule: faults.Rule) -> bool:
        """Acts out `rule`; True when the request has been answered (or abandoned)."""
        if rule.delay_seconds:
            time.sleep(rule.delay_seconds)
        kind = rule.kind
        if kind == "delay":
            time.sleep(rule.seconds)
            return False
        if kind == "status":
            headers = {"Server": "nginx/1.24.0 (Ubuntu)"}
            if rule.retry_after is not None:
                headers["Retry-After"] = str(rule.retry_after)
            body = rule.body if rule.body is not None else faults.nginx_page(int(rule.status))
            self._send(int(rule.status), body.encode(), "text/html", headers, compressible=False)
            return True
        if kind == "html":
            body = rule.body if rule.body is not None else faults.odoo_html_page()
            self._send(200, body.encode(), "text/html; charset=utf-8", compressible=False)
            return True
        if kind in ("drop", "reset"):
            self._hang_up(reset=kind == "reset")
            return True
        if kind == "fault":
            text = wire.dumps(xmlrpc.client.Fault(rule.code, rule.message))
            self._send(200, text.encode(), "text/xml; charset=utf-8")
            return True
        return False  # truncate acts on the real answer

    # -- XML-RPC -------------------------------------------------------------------------------
    def _xmlrpc(self, path: str, service: str, legacy: bool, body: bytes):
        state = self.server.state
        params, method, parse_error = (), None, None
        try:
            params, method = wire.loads(body)
        except Exception as error:
            parse_error = error
        model = inner = None
        if service == "object" and method in ("execute_kw", "execute") and len(params) > 4:
            model = params[3] if isinstance(params[3], str) else None
            inner = params[4] if isinstance(params[4], str) else None
        state.stats.count(" ".join(p for p in (service, method, model, inner) if p))
        rule = self._take_fault(faults.RequestInfo(path, service, inner or method, model))
        if rule is not None and self._strike(rule):
            return
        # the transaction starts once Odoo has the request; waiting for the store lock comes after,
        # so a call that waits commits rows older than those of the call it waited for
        started = state.clock.now()
        try:
            if parse_error is not None:
                raise errors.ApplicationError(type(parse_error).__name__, str(parse_error),
                                              errors.frame("addons/base/controllers/rpc.py", 138, "_xmlrpc",
                                                           "params, method = xmlrpc.client.loads(data, use_datetime=True)"),
                                              head="Traceback (most recent call last):\n" + errors.frame(
                                                  "addons/base/controllers/rpc.py", 165, "xmlrpc_2",
                                                  "response = self._xmlrpc(service)"))
            result = state.service.dispatch(service, method, params, started)
            try:
                text = wire.dumps((result,))
            except (OverflowError, TypeError) as error:
                # e.g. an integer beyond 32 bits outside a field value: Odoo fails the same way
                raise errors.ApplicationError(type(error).__name__, str(error), errors.frame(
                    "addons/base/controllers/rpc.py", 140, "_xmlrpc", "return dumps((result,))"),
                    head=errors.captured().rpc_head)
        except errors.OdooError as error:
            text = self._fault_text(error, service, legacy)
        except Exception as error:
            log.error("simulator bug while answering %s %s:\n%s", method, params[3:5], traceback.format_exc())
            text = self._fault_text(errors.ApplicationError(
                type(error).__name__, f"{error} (a bug in the Odoo simulator)",
                full_text=traceback.format_exc()), service, legacy)
        payload = text.encode()
        truncate_at = None
        if rule is not None and rule.kind == "truncate":
            truncate_at = int(len(payload) * rule.fraction)
        self._send(200, payload, "text/xml; charset=utf-8", truncate_at=truncate_at,
                   compressible=truncate_at is None)

    @staticmethod
    def _fault_text(error: errors.OdooError, service: str, legacy: bool) -> str:
        if isinstance(error, errors.ApplicationError):
            head = errors.captured().object_head if service == "object" else errors.captured().rpc_head
            text = error.traceback_text(head)
            fault = xmlrpc.client.Fault(error.fault_code, text)
            if legacy:
                fault = xmlrpc.client.Fault(f"{error.exception}: {error.message}", text)
        elif legacy:
            label = {errors.AccessDenied: None, errors.AccessError: "AccessError"}.get(type(error), "UserError")
            fault = (xmlrpc.client.Fault("AccessDenied", str(error)) if label is None
                     else xmlrpc.client.Fault(f"warning -- {label}\n\n{error}", ""))
        else:
            fault = error.fault()
        return wire.dumps(fault)
