"""XML-RPC bytes exactly as Odoo 18 writes them, and the captured answers the simulator replays.

Odoo's `rpc.py` wraps `xmlrpc.client.Marshaller` (never `xmlrpc.client.dumps`): the XML declaration
uses double quotes and faults/params sit between blank-line-separated `methodResponse` tags. The
captures in `captures/` are exact copies of a real Odoo's answers; byte-identical output is tested.
"""
import gzip
import os
import xmlrpc.client
from datetime import date, datetime

CAPTURES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "captures")

# Odoo's marshaller strips ASCII control characters other than tab, newline and carriage return.
_CONTROL_CHARACTERS = dict.fromkeys(set(range(32)) - {9, 10, 13})


class OdooMarshaller(xmlrpc.client.Marshaller):
    """The marshaller of odoo/addons/base/controllers/rpc.py: dates and datetimes go out as strings."""

    dispatch = dict(xmlrpc.client.Marshaller.dispatch)

    def dump_unicode(self, value, write):
        return super().dump_unicode(value.translate(_CONTROL_CHARACTERS), write)

    def dump_datetime(self, value, write):
        self.dump_unicode(value.strftime("%Y-%m-%d %H:%M:%S"), write)

    def dump_date(self, value, write):
        self.dump_unicode(value.strftime("%Y-%m-%d"), write)

    def dump_bytes(self, value, write):
        self.dump_unicode(value.decode(), write)

    dispatch[str] = dump_unicode
    dispatch[datetime] = dump_datetime
    dispatch[date] = dump_date
    dispatch[bytes] = dump_bytes


def dumps(params) -> str:
    """`params` is a one-element tuple (a result) or an `xmlrpc.client.Fault`."""
    response = OdooMarshaller(allow_none=False).dumps(params)
    return f'<?xml version="1.0"?>\n<methodResponse>\n{response}\n</methodResponse>\n'


def loads(body: bytes):
    """Parses a request the way Odoo does (`use_datetime=True`): returns (params, method_name)."""
    return xmlrpc.client.loads(body, use_datetime=True)


def read_capture(version: int, name: str) -> str:
    path = os.path.join(CAPTURES_DIR, f"odoo{version}", f"{name}.response.xml.gz")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return handle.read()


def capture_value(version: int, name: str):
    """The decoded result of a captured answer."""
    return xmlrpc.client.loads(read_capture(version, name), use_datetime=False)[0][0]


def capture_fault_string(version: int, name: str) -> str:
    try:
        xmlrpc.client.loads(read_capture(version, name))
    except xmlrpc.client.Fault as fault:
        return fault.faultString
    raise ValueError(f"capture {name} of Odoo {version} holds no fault")
