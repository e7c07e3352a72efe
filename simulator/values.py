"""Conversions between wire values and stored values, following Odoo 18's fields.py.

Reading (`convert_to_read`): NULL becomes False for every type except numbers (Odoo reads NULL
numbers as 0) and x2many (an id list); many2one becomes [id, display_name]; integers above
2^31-1 become floats because XML-RPC's <int> is 32-bit (fields.Integer.convert_to_read).
"""
import base64
import xmlrpc.client
from datetime import date, datetime

import errors
import timeutil

MAXINT = 2**31 - 1


def reader(store, table, name: str, load: str | None = "_classic_read"):
    """A `(rid, row) -> wire value` function for one field of `table`."""
    get = table.getter(name)
    field_type = table.types.get(name, "integer" if name == "id" else "char")
    if field_type == "many2one":
        comodel = table.fields[name].get("relation")
        if load != "_classic_read":
            return lambda rid, row: get(rid, row) or False
        names: dict[int, str] = {}

        def read_many2one(rid, row):
            value = get(rid, row)
            if value is None:
                return False
            label = names.get(value)
            if label is None:
                label = names[value] = store.display_name(comodel, value)
            return [value, label]
        return read_many2one
    if field_type == "integer":
        def read_integer(rid, row):
            value = get(rid, row)
            return float(value) if value and value > MAXINT else (value or 0)
        return read_integer
    if field_type in ("float", "monetary"):
        return lambda rid, row: float(get(rid, row) or 0.0)
    if field_type == "boolean":
        return lambda rid, row: bool(get(rid, row))
    if field_type == "datetime":
        def read_datetime(rid, row):
            value = get(rid, row)
            return timeutil.wire_datetime(value) if value is not None else False
        return read_datetime
    if field_type in ("one2many", "many2many"):
        return lambda rid, row: list(get(rid, row) or ())
    if field_type == "json":
        return lambda rid, row: get(rid, row) or False
    def read_plain(rid, row):
        value = get(rid, row)
        return False if value is None else value
    return read_plain


def to_stored(store, table, name: str, value, current=()):
    """Converts a value received in create/write into its stored form, validating it like Odoo."""
    field_type = table.types[name]
    attrs = table.fields[name]
    if field_type == "many2one":
        if value in (False, None, 0):
            return None
        if isinstance(value, (list, tuple)) and value:
            value = value[0]
        if isinstance(value, bool) or not isinstance(value, int):
            raise errors.ApplicationError("ValueError", f"Wrong value for {table.name}.{name}: {value!r}",
                                          errors.method_frames("write"))
        comodel = attrs.get("relation")
        if not store.exists(comodel, value):
            raise errors.ValidationError(
                "The operation cannot be completed: another model requires the record being deleted. "
                "If possible, archive it instead.\n\n"
                f"Model: {table.name}\nConstraint: {table.name.replace('.', '_')}_{name}_fkey")
        return value
    if field_type == "integer":
        if value in (False, None):
            return 0
        return int(value)
    if field_type in ("float", "monetary"):
        if value in (False, None):
            return 0.0
        # monetary values are rounded to their currency's decimals by the service, which sees the record
        return float(value)
    if field_type == "boolean":
        return bool(value)
    if field_type in ("char", "text", "html"):
        if value in (False, None):
            return None
        return str(value)
    if field_type == "selection":
        if value in (False, None):
            return None
        allowed = [key for key, _ in attrs.get("selection") or []]
        if allowed and value not in allowed:
            raise errors.ApplicationError("ValueError", f"Wrong value for {table.name}.{name}: {value!r}",
                                          errors.method_frames("write"))
        return value
    if field_type == "date":
        if value in (False, None):
            return None
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        parsed = timeutil.parse_date(str(value))
        if parsed is None:
            raise errors.ApplicationError("ValueError", f"time data {str(value)!r} does not match format '%Y-%m-%d'",
                                          errors.method_frames("write"))
        return parsed
    if field_type == "datetime":
        if value in (False, None):
            return None
        if isinstance(value, datetime):
            return timeutil.to_micros(value)
        parsed = timeutil.parse_datetime(str(value))
        if parsed is None:
            raise errors.ApplicationError("ValueError",
                                          f"time data {str(value)!r} does not match format '%Y-%m-%d %H:%M:%S'",
                                          errors.method_frames("write"))
        return parsed
    if field_type == "many2many":
        return tuple(_apply_commands(table, name, value, current))
    if field_type == "json":
        return value if value not in (False, None) else None
    if field_type == "binary":
        if value in (False, None):
            return None
        if isinstance(value, xmlrpc.client.Binary):
            return base64.b64encode(value.data).decode()
        return str(value)
    raise errors.ApplicationError(
        "NotImplementedError",
        f"the Odoo simulator does not store {field_type} fields such as {table.name}.{name}; "
        "write the related records instead", errors.method_frames("write"))


def _apply_commands(table, name, value, current=()):
    """x2many commands: a plain id list, (6, 0, ids), (4, id), (3, id), (5,)."""
    if value in (False, None):
        return ()
    ids = list(current)
    if all(isinstance(item, int) and not isinstance(item, bool) for item in value):
        return tuple(value)
    for command in value:
        if not isinstance(command, (list, tuple)) or not command:
            raise errors.ApplicationError("ValueError", f"Invalid command {command!r} for {table.name}.{name}",
                                          errors.method_frames("write"))
        code = command[0]
        if code == 6:
            ids = list(command[2])
        elif code == 4:
            if command[1] not in ids:
                ids.append(command[1])
        elif code == 3:
            ids = [i for i in ids if i != command[1]]
        elif code == 5:
            ids = []
        else:
            raise errors.ApplicationError(
                "NotImplementedError", f"the Odoo simulator does not support x2many command {code} "
                f"on {table.name}.{name}; create the record first, then link it with (4, id)",
                errors.method_frames("write"))
    return tuple(ids)
