"""Faults a test switches on at run time: what a proxy, a crash or an overloaded server sends.

A rule strikes the next `count` requests that match it (optionally only a service, an XML-RPC
method such as `search_read` or `authenticate`, a model, or a path), after letting `skip`
matching requests through. Kinds:
  status    HTTP error with an nginx-style HTML body (502, 503, 504, 429 with Retry-After...)
  html      an HTML page with status 200 (a login page or a maintenance page instead of XML)
  delay     sleep `seconds`, then answer normally
  drop      close the connection without answering
  reset     abort the connection (TCP RST)
  truncate  answer normally but close after `fraction` of the body (Content-Length stays full)
  fault     an XML-RPC fault with `code` and `message`, HTTP 200
Any kind also accepts `delay_seconds`, slept before it strikes.
"""
import threading
from dataclasses import dataclass, field

KINDS = ("status", "html", "delay", "drop", "reset", "truncate", "fault")
REASONS = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 408: "Request Timeout",
           413: "Request Entity Too Large", 429: "Too Many Requests", 500: "Internal Server Error",
           502: "Bad Gateway", 503: "Service Temporarily Unavailable", 504: "Gateway Time-out"}


@dataclass
class Rule:
    kind: str
    count: int | None = 1  # None: until cleared
    skip: int = 0
    service: str | None = None
    method: str | None = None
    model: str | None = None
    path: str | None = None
    status: int = 502
    seconds: float = 0.0
    delay_seconds: float = 0.0
    fraction: float = 0.5
    retry_after: int | None = None
    code: int = 1
    message: str = "Simulated fault"
    body: str | None = None
    struck: int = 0
    seen: int = field(default=0)

    def describe(self) -> dict:
        return {key: value for key, value in self.__dict__.items() if value is not None}


@dataclass
class RequestInfo:
    path: str
    service: str | None
    method: str | None  # the inner method for execute_kw, else the XML-RPC method
    model: str | None


def parse_rule(data: dict) -> Rule:
    if not isinstance(data, dict):
        raise ValueError("a fault rule is a JSON object")
    kind = data.get("kind")
    if kind not in KINDS:
        raise ValueError(f"unknown fault kind {kind!r}; expected one of {', '.join(KINDS)}")
    known = set(Rule.__dataclass_fields__) - {"struck", "seen"}
    unknown = set(data) - known
    if unknown:
        raise ValueError(f"unknown fault rule keys: {', '.join(sorted(unknown))}")
    rule = Rule(**data)
    if rule.count is not None and rule.count < 1:
        raise ValueError("count must be at least 1, or null for every matching request")
    if kind == "status" and not 100 <= int(rule.status) <= 599:
        raise ValueError("status must be an HTTP status code")
    if kind == "truncate" and not 0 <= rule.fraction < 1:
        raise ValueError("fraction must be in [0, 1)")
    return rule


class FaultPlan:
    def __init__(self):
        self._lock = threading.Lock()
        self._rules: list[Rule] = []
        self.injected = 0

    def add(self, rule: Rule):
        with self._lock:
            self._rules.append(rule)

    def clear(self):
        with self._lock:
            self._rules.clear()

    def describe(self) -> list[dict]:
        with self._lock:
            return [rule.describe() for rule in self._rules]

    def take(self, request: RequestInfo) -> Rule | None:
        """The rule that strikes this request, if any (consuming one of its strikes)."""
        with self._lock:
            for rule in self._rules:
                if not _matches(rule, request):
                    continue
                rule.seen += 1
                if rule.seen <= rule.skip:
                    continue
                rule.struck += 1
                if rule.count is not None and rule.struck >= rule.count:
                    self._rules.remove(rule)
                self.injected += 1
                return rule
        return None


def _matches(rule: Rule, request: RequestInfo) -> bool:
    if rule.path is not None and rule.path != request.path:
        return False
    if rule.service is not None and rule.service != request.service:
        return False
    if rule.method is not None and rule.method != request.method:
        return False
    if rule.model is not None and rule.model != request.model:
        return False
    return True


def nginx_page(status: int) -> str:
    reason = REASONS.get(status, "Error")
    return (f"<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n"
            f"<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx/1.24.0 (Ubuntu)</center>\r\n"
            "</body>\r\n</html>\r\n")


def odoo_html_page() -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en-US\">\n<head>\n<meta charset=\"utf-8\"/>\n"
            "<title>Odoo is under maintenance</title>\n</head>\n<body>\n<main>\n"
            "<h1>Odoo is under maintenance</h1>\n<p>The service will be back shortly.</p>\n</main>\n</body>\n</html>\n")
