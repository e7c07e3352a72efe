"""Odoo's exception families and the XML-RPC faults they become (odoo/addons/base/controllers/rpc.py).

Fault codes: 1 application error (faultString is a Python traceback), 2 UserError/ValidationError/
MissingError, 3 AccessDenied, 4 AccessError. The traceback texts are assembled from frames copied out
of the captured faults, so the domain errors a real Odoo 18 answered are reproduced byte for byte;
for other errors the head frames are real and the method frames are close approximations.
"""
import xmlrpc.client

import wire

FAULT_APPLICATION = 1
FAULT_WARNING = 2
FAULT_ACCESS_DENIED = 3
FAULT_ACCESS_ERROR = 4


class OdooError(Exception):
    """An exception that crosses the RPC boundary as a fault."""

    fault_code = FAULT_APPLICATION

    def fault(self) -> xmlrpc.client.Fault:
        return xmlrpc.client.Fault(self.fault_code, str(self))


class UserError(OdooError):
    fault_code = FAULT_WARNING


class ValidationError(UserError):
    pass


class AccessDenied(OdooError):
    fault_code = FAULT_ACCESS_DENIED

    def __init__(self, message="Access Denied"):
        super().__init__(message)


class AccessError(OdooError):
    fault_code = FAULT_ACCESS_ERROR


class ApplicationError(OdooError):
    """An uncaught Python exception inside Odoo: the fault string is the formatted traceback.

    `exception` is the final line's type as Python prints it (`ValueError`,
    `psycopg2.errors.InvalidDatetimeFormat`); `frames` the method frames below `call_kw`.
    """

    fault_code = FAULT_APPLICATION

    def __init__(self, exception: str, message: str, frames: str = "", head: str | None = None,
                 full_text: str | None = None):
        super().__init__(message)
        self.exception = exception
        self.message = message
        self.frames = frames
        self.head = head
        self.full_text = full_text

    def traceback_text(self, default_head: str) -> str:
        if self.full_text is not None:
            return self.full_text
        head = self.head if self.head is not None else default_head
        return f"{head}{self.frames}{self.exception}: {self.message}\n"


def frame(path: str, line: int, function: str, code: str) -> str:
    """One traceback frame in Python 3.11's layout, carets under the called expression."""
    text = f'  File "/opt/odoo/odoo/{path}", line {line}, in {function}\n    {code}\n'
    start = None
    if code.startswith("return "):
        start = len("return ")
    elif " = " in code:
        start = code.index(" = ") + 3
    if start is not None and "(" in code[start:]:
        text += "    " + " " * start + "^" * (len(code) - start) + "\n"
    return text


def _split_frames(text: str) -> list[str]:
    """Splits a traceback body into frames (each starting with '  File ')."""
    frames, current = [], []
    for line in text.splitlines(keepends=True):
        if line.startswith("  File ") and current:
            frames.append("".join(current))
            current = []
        current.append(line)
    if current:
        frames.append("".join(current))
    return frames


class _CapturedFrames:
    """Frames cut out of the captured Odoo 18 faults."""

    def __init__(self):
        unknown_field = wire.capture_fault_string(18, "fault_unknown_field")
        bad_leaf = wire.capture_fault_string(18, "fault_bad_domain")
        header = "Traceback (most recent call last):\n"
        body = unknown_field[len(header):unknown_field.rindex("ValueError: ")]
        frames = _split_frames(body)
        index = {f.split(", in ")[1].split("\n")[0]: i for i, f in enumerate(frames)}
        call_kw = index["call_kw"]
        self.rpc_head = header + "".join(frames[:3])
        self.object_head = header + "".join(frames[:call_kw + 1])
        self.search_read = "".join(frames[call_kw + 1:index["search_fetch"]])
        self.search_fetch_to_search = "".join(frames[index["search_fetch"]:index["_search"]])
        self.search_to_expression = "".join(frames[index["_search"]:index["__init__"]])
        self.anyfy_tail = "".join(frames[index["__init__"]:])
        bad_body = bad_leaf[len(header):bad_leaf.rindex("ValueError: ")]
        bad_frames = _split_frames(bad_body)
        init = next(i for i, f in enumerate(bad_frames) if ", in __init__\n" in f)
        self.check_leaf_tail = "".join(bad_frames[init:])
        bad_db = wire.capture_fault_string(18, "authenticate_bad_db")
        self.bad_db_template = bad_db


_captured = None


def captured() -> _CapturedFrames:
    global _captured
    if _captured is None:
        _captured = _CapturedFrames()
    return _captured


def method_frames(method: str) -> str:
    """Frames from the public ORM method down to `_search`, as in Odoo 18's models.py."""
    c = captured()
    if method == "search_read":
        return c.search_read + c.search_fetch_to_search + c.search_to_expression
    if method == "search":
        return (frame("models.py", 1701, "search",
                      "return self.search_fetch(domain, [], offset=offset, limit=limit, order=order)")
                + c.search_fetch_to_search + c.search_to_expression)
    if method == "search_count":
        return (frame("models.py", 1663, "search_count", "query = self._search(domain, limit=limit)")
                + c.search_to_expression)
    if method == "read_group":
        return (frame("models.py", 2911, "read_group",
                      "rows = self._read_group(domain, annotated_groupby, annotated_aggregates, "
                      "offset=offset, limit=limit, order=orderby)")
                + frame("models.py", 2046, "_read_group", "query = self._search(domain)")
                + c.search_to_expression)
    return frame("models.py", 1650, method, f"return self.{method}(*args, **kwargs)")


def domain_field_error(method: str, model: str, field: str, leaf: tuple) -> ApplicationError:
    return ApplicationError("ValueError", f"Invalid field {model}.{field} in leaf {leaf}",
                            method_frames(method) + captured().anyfy_tail)


def domain_leaf_error(method: str, leaf) -> ApplicationError:
    return ApplicationError("ValueError", f"Invalid leaf {leaf}", method_frames(method) + captured().check_leaf_tail)


def domain_error(method: str, exception: str, message: str) -> ApplicationError:
    """Structural domain errors raised while Odoo normalises the domain."""
    tail = frame("osv/expression.py", 781, "__init__", "self.expression = domain_combine_anies(domain, model)")
    return ApplicationError(exception, message, method_frames(method) + tail)


def sql_error(method: str, exception: str, message: str) -> ApplicationError:
    """An error PostgreSQL raises while executing the query (e.g. an unparsable timestamp)."""
    tail = (frame("models.py", 1784, "search_fetch", "self.env.cr.execute(query_str)")
            + frame("sql_db.py", 332, "execute", "res = self._obj.execute(query, params)"))
    return ApplicationError(exception, message, method_frames(method) + tail)


def value_error(method: str, message: str) -> ApplicationError:
    return ApplicationError("ValueError", message, method_frames(method))


def unknown_database_error(database: str, service: str) -> ApplicationError:
    """The psycopg2 failure a real Odoo 18 answers for a database that does not exist."""
    template = captured().bad_db_template
    text = template.replace("'no_such_db'", repr(database)).replace('"no_such_db"', f'"{database}"')
    if service == "object":
        text = text.replace(
            '  File "/opt/odoo/odoo/service/common.py", line 58, in dispatch\n'
            '    return g[exp_method_name](*params)\n'
            '           ^^^^^^^^^^^^^^^^^^^^^^^^^^^\n'
            '  File "/opt/odoo/odoo/service/common.py", line 26, in exp_authenticate\n'
            "    res_users = Registry(db)['res.users']\n"
            "                ^^^^^^^^^^^^\n",
            frame("service/model.py", 49, "dispatch", "security.check(db, uid, passwd)")
            + frame("service/security.py", 26, "check", "return check_session_db(db, uid, passwd)")
            + "  File \"/opt/odoo/odoo/service/security.py\", line 14, in check_session_db\n"
              "    res_users = odoo.registry(db)['res.users']\n"
              "                ^^^^^^^^^^^^^^^^^\n")
    message = text.rstrip("\n").rsplit("\n", 1)[-1]
    return ApplicationError("psycopg2.OperationalError", message, full_text=text)
