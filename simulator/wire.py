"""XML-RPC bytes exactly as Odoo 18 writes them, and the captured answers the simulator replays.

Odoo's `rpc.py` wraps `xmlrpc.client.Marshaller` (never `xmlrpc.client.dumps`): the XML declaration
uses double quotes and faults/params sit between blank-line-separated `methodResponse` tags. The
captures in `captures/` are exact copies of a real Odoo's answers; byte-identical output is tested.
"""
import gzip
import os
import re
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
    if isinstance(params, tuple):
        parts = ["<params>\n"]
        for param in params:
            parts.append("<param>\n")
            _dump(param, parts.append)
            parts.append("</param>\n")
        parts.append("</params>\n")
        response = "".join(parts)
    else:
        response = OdooMarshaller(allow_none=False).dumps(params)
    return f'<?xml version="1.0"?>\n<methodResponse>\n{response}\n</methodResponse>\n'


_NEEDS_ESCAPING = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f&<>]").search


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _dump(value, write):
    """OdooMarshaller's output, several times faster for the types results are made of.

    Anything else (dates, None, bytes...) goes through OdooMarshaller itself; the self-test checks
    both paths produce the same bytes.
    """
    kind = type(value)
    if kind is str:
        if _NEEDS_ESCAPING(value):
            value = _escape(value.translate(_CONTROL_CHARACTERS))
        write(f"<value><string>{value}</string></value>\n")
    elif kind is bool:
        write("<value><boolean>1</boolean></value>\n" if value else "<value><boolean>0</boolean></value>\n")
    elif kind is int:
        if value > xmlrpc.client.MAXINT or value < xmlrpc.client.MININT:
            raise OverflowError("int exceeds XML-RPC limits")
        write(f"<value><int>{value}</int></value>\n")
    elif kind is float:
        write(f"<value><double>{value!r}</double></value>\n")
    elif kind is list or kind is tuple:
        write("<value><array><data>\n")
        for item in value:
            _dump(item, write)
        write("</data></array></value>\n")
    elif kind is dict:
        write("<value><struct>\n")
        for key, item in value.items():
            if type(key) is not str:
                raise TypeError("dictionary key must be string")
            write(f"<member>\n<name>{_escape(key)}</name>\n")
            _dump(item, write)
            write("</member>\n")
        write("</struct></value>\n")
    else:
        marshaller = OdooMarshaller(allow_none=False)
        marshaller._Marshaller__dump(value, write)


def reference_dumps(params) -> str:
    """The plain OdooMarshaller path, kept to check `dumps` against."""
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
