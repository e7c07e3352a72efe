"""The `common` and `object` XML-RPC services of Odoo 18 over the in-memory store.

Mirrors odoo/service/common.py and odoo/service/model.py: credentials are checked on every
`execute_kw`, the model must exist (else UserError "Object x doesn't exist", fault 2), the method
must be public, and the ORM methods keep Odoo's Python signatures so a wrong argument fails with
the same TypeError text. Each call is one transaction: rows it creates or writes share one
`write_date`, the clock value taken when the call started.
"""
import inspect
import logging

import errors
import grouping
import query
import values
import wire
from query import Environment

log = logging.getLogger("odoo_simulator")

# (model, many2one) pairs deleted with their parent (ondelete='cascade'); other references to a
# deleted row are set to NULL, or block the delete when the reference is required.
CASCADE = {("account.move.line", "move_id")}
MAGIC_COLUMNS = ("create_date", "write_date", "create_uid", "write_uid", "id", "display_name")


class Credentials:
    def __init__(self, database: str, login: str, password: str, uid: int, api_key: str | None):
        self.database = database
        self.login = login
        self.password = password
        self.uid = uid
        self.api_key = api_key

    def password_ok(self, password) -> bool:
        return password == self.password or (self.api_key is not None and password == self.api_key)


class OdooService:
    def __init__(self, state):
        self.state = state  # simulator.State: store, credentials, field metadata, version

    @property
    def store(self):
        return self.state.store

    # -- entry point ---------------------------------------------------------------------------
    def dispatch(self, service: str, method: str, params: tuple, started: int):
        if service == "common":
            return self._common(method, params)
        if service == "object":
            return self._object(method, params, started)
        if service == "db":
            return self._db(method, params)
        raise errors.ApplicationError("KeyError", repr(service), errors.frame(
            "http.py", 396, "dispatch_rpc", "dispatch = rpc_dispatchers[service_name]"),
            head=errors.captured().rpc_head)

    # -- common --------------------------------------------------------------------------------
    def _common(self, method, params):
        functions = {"version": self._version, "authenticate": self._authenticate, "login": self._login,
                     "about": self._about}
        function = functions.get(method)
        if function is None:
            raise errors.ApplicationError(
                "KeyError", repr(f"exp_{method}"),
                errors.frame("service/common.py", 58, "dispatch", "return g[exp_method_name](*params)"),
                head=errors.captured().rpc_head)
        return self._call_plain(function, f"exp_{method}", params)

    def _call_plain(self, function, name, params):
        try:
            inspect.signature(function).bind(*params)
        except TypeError as error:
            raise errors.ApplicationError("TypeError", f"{name}() {error}", head=errors.captured().rpc_head,
                                          frames=errors.frame("service/common.py", 58, "dispatch",
                                                              "return g[exp_method_name](*params)"))
        return function(*params)

    def _version(self):
        return wire.capture_value(self.state.odoo_version, "version")

    def _about(self, extended=False):
        info = "See http://openerp.com"
        if extended:
            return [info, self._version()["server_version"]]
        return info

    def _check_database(self, db, service):
        if db != self.state.credentials.database:
            raise errors.unknown_database_error(str(db), service)

    def _authenticate(self, db, login, password, user_agent_env):
        self._check_database(db, "common")
        credentials = self.state.credentials
        if login == credentials.login and credentials.password_ok(password):
            return credentials.uid
        return False

    def _login(self, db, login, password):
        return self._authenticate(db, login, password, {})

    def _db(self, method, params):
        if method == "list":
            return [self.state.credentials.database]
        if method == "server_version":
            return self._version()["server_version"]
        raise errors.ApplicationError(
            "KeyError", repr(f"exp_{method}"),
            errors.frame("service/db.py", 453, "dispatch", "return g[exp_method_name](*params)"),
            head=errors.captured().rpc_head)

    # -- object --------------------------------------------------------------------------------
    def _object(self, method, params, started):
        if len(params) < 3:
            raise errors.ApplicationError("IndexError", "tuple index out of range", head=errors.captured().rpc_head,
                                          frames=errors.frame("service/model.py", 45, "dispatch",
                                                              "db, uid, passwd = params[0], int(params[1]), params[2]"))
        db, raw_uid, password = params[0], params[1], params[2]
        try:
            uid = int(raw_uid)
        except (TypeError, ValueError) as error:
            raise errors.ApplicationError(type(error).__name__, str(error), head=errors.captured().rpc_head,
                                          frames=errors.frame("service/model.py", 45, "dispatch",
                                                              "db, uid, passwd = params[0], int(params[1]), params[2]"))
        self._check_database(db, "object")
        credentials = self.state.credentials
        if uid != credentials.uid or not credentials.password_ok(password):
            raise errors.AccessDenied()
        rest = params[3:]
        if method == "execute_kw":
            def execute_kw(obj, method, args, kw=None):
                return obj, method, list(args), dict(kw or {})
            call = execute_kw
        elif method == "execute":
            def execute(obj, method, *args):
                return obj, method, list(args), {}
            call = execute
        else:
            raise errors.ApplicationError("NameError", f"Method not available {method}",
                                          head=errors.captured().rpc_head,
                                          frames=errors.frame("service/model.py", 62, "dispatch",
                                                              'raise NameError("Method not available %s" % method)'))
        try:
            model, name, args, kwargs = call(*rest)
        except TypeError as error:
            message = str(error).replace("OdooService._object.<locals>.", "")
            raise errors.ApplicationError("TypeError", message, head=errors.captured().rpc_head,
                                          frames=errors.frame("service/model.py", 58, "dispatch",
                                                              "res = execute_kw(db, uid, *params[3:])"))
        return self.call_kw(uid, model, name, args, kwargs, started)

    def call_kw(self, uid, model, name, args, kwargs, started):
        table = self.store.table(model)
        if table is None:
            raise errors.UserError(f"Object {model} doesn't exist")
        if not isinstance(name, str) or name.startswith("_"):
            raise errors.AccessError(f"Private methods (such as '{model}.{name}') cannot be called remotely.")
        function = getattr(ModelMethods, name, None)
        if not callable(function) or isinstance(function, type):
            raise errors.ApplicationError("AttributeError", f"The method '{model}.{name}' does not exist",
                                          head=errors.captured().object_head)
        context = kwargs.pop("context", None)
        records = ModelMethods(self, table, Environment(self.store, uid, context), started)
        if name in ModelMethods.RECORD_METHODS:
            if not args:
                raise errors.ApplicationError("IndexError", "list index out of range",
                                              head=errors.captured().object_head)
            records.ids = _as_ids(args[0])
            args = args[1:]
        try:
            inspect.signature(getattr(records, name)).bind(*args, **kwargs)
        except TypeError as error:
            raise errors.ApplicationError("TypeError", f"BaseModel.{name}() {error}",
                                          head=errors.captured().object_head)
        with self.store.lock:
            result = getattr(records, name)(*args, **kwargs)
        if name in ("create", "write", "unlink"):
            self.store.clock.tick()
        return result

    # -- writes shared with the control API ------------------------------------------------------
    def create_records(self, table, vals_list, env, timestamp, uid, method="create", ids=None) -> list[int]:
        """Creates rows in one transaction; `ids` are sequence values reserved earlier, if any."""
        prepared = []
        for vals in vals_list:
            if not isinstance(vals, dict):
                raise errors.ApplicationError("ValueError", f"Invalid values {vals!r} for {table.name}.create",
                                              errors.method_frames(method), head=errors.captured().object_head)
            prepared.append(self._prepare_create(table, vals, env, method))
        created = []
        for index, values_ in enumerate(prepared):
            rid = ids[index] if ids else table.allocate_id()
            values_.update({"create_date": timestamp, "write_date": timestamp, "create_uid": uid, "write_uid": uid})
            self._insert(table, rid, values_)
            created.append(rid)
        return created

    def _insert(self, table, rid, values_):
        table.insert(rid, values_)
        self._after_write(table, [rid], values_, values_["write_date"], values_["write_uid"])

    def _prepare_create(self, table, vals, env, method):
        spec = table.spec
        company = vals.get("company_id") or env.company_id
        stored = dict(spec.defaults(self.store, env.context, company) if spec.defaults else {})
        for name, value in vals.items():
            if name not in table.fields:
                raise errors.ApplicationError("ValueError", f"Invalid field {name!r} on model {table.name!r}",
                                              errors.method_frames(method), head=errors.captured().object_head)
            if name in MAGIC_COLUMNS or not table.stored(name) or table.types[name] == "one2many":
                continue
            stored[name] = values.to_stored(self.store, table, name, value)
        for name in spec.required:
            if stored.get(name) in (None, False, ""):
                attrs = table.fields[name]
                raise errors.ValidationError(
                    "The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n"
                    "- Delete: another model requires the record being deleted. If possible, archive it instead.\n\n"
                    f"Model: {table.name} ({table.name})\nField: {attrs.get('string', name)} ({name})")
        if table.name == "res.partner":
            stored["complete_name"] = self._partner_complete_name(stored.get("name"), stored.get("parent_id"))
        if table.name == "account.move.line":
            stored["balance"] = stored.get("debit", 0.0) - stored.get("credit", 0.0)
            move = stored.get("move_id")
            moves = self.store.tables["account.move"]
            if move in moves.rows:
                # stored related fields of a journal item follow its move
                for line_field, move_field in (("parent_state", "state"), ("move_name", "name"),
                                               ("company_id", "company_id"), ("journal_id", "journal_id")):
                    stored[line_field] = moves.get(move, move_field)
                stored.setdefault("date", moves.get(move, "date"))
        self._round_monetary(table, None, stored)
        return stored

    # Monetary fields kept in the company's currency rather than the record's own (`currency_field`
    # in Odoo's model definitions); every other monetary field follows `currency_id`.
    COMPANY_CURRENCY_FIELDS = {
        "hr.expense": {"total_amount", "tax_amount", "untaxed_amount", "amount_residual"},
        "account.move.line": {"debit", "credit", "balance", "tax_base_amount", "amount_residual"},
    }

    def _round_monetary(self, table, rid, row_values):
        """fields.Monetary.convert_to_column: round to the decimals of the record's currency (PHP 2, KWD 3)."""
        for name, value in row_values.items():
            if table.types.get(name) != "monetary" or not isinstance(value, float):
                continue
            company_side = name in self.COMPANY_CURRENCY_FIELDS.get(table.name, ()) or (
                name.endswith("_signed") and not name.endswith("_in_currency_signed"))
            currency_field = "company_currency_id" if company_side and "company_currency_id" in table.fields else "currency_id"
            row_values[name] = round(value, self._currency_decimals(self._currency(table, rid, row_values, currency_field)))

    def _currency(self, table, rid, row_values, currency_field):
        def current(field):
            if field in row_values:
                return row_values[field]
            return table.get(rid, field) if rid is not None and field in table.fields else None
        currency = current(currency_field)
        if currency is None and currency_field == "company_currency_id":
            company = current("company_id")
            companies = self.store.tables["res.company"]
            currency = companies.get(company, "currency_id") if company in companies.rows else None
        return currency

    def _currency_decimals(self, currency) -> int:
        currencies = self.store.tables["res.currency"]
        if currency in currencies.rows:
            places = currencies.get(currency, "decimal_places")
            if isinstance(places, int):
                return places
        return 2

    def _partner_complete_name(self, name, parent):
        """res.partner._compute_complete_name: a contact reads 'Company, Person'."""
        partners = self.store.tables["res.partner"]
        if parent in partners.rows and name:
            return f"{partners.get(parent, 'complete_name') or partners.get(parent, 'name')}, {name}"
        return name

    def write_records(self, table, ids, vals, timestamp, uid, method="write"):
        if not isinstance(vals, dict):
            raise errors.ApplicationError("AttributeError", f"'{type(vals).__name__}' object has no attribute 'items'",
                                          errors.method_frames(method), head=errors.captured().object_head)
        converted = {}
        for name, value in vals.items():
            if name not in table.fields:
                raise errors.ApplicationError("ValueError", f"Invalid field {name!r} on model {table.name!r}",
                                              errors.method_frames(method), head=errors.captured().object_head)
            if name in MAGIC_COLUMNS or not table.stored(name) or table.types[name] == "one2many":
                continue
            converted[name] = value
        bulk = len(ids) > 256
        for rid in ids:
            row_values = {}
            for name, value in converted.items():
                current = table.get(rid, name) if table.types[name] == "many2many" else ()
                row_values[name] = values.to_stored(self.store, table, name, value, current)
            if table.name == "account.move.line" and ("debit" in row_values or "credit" in row_values):
                debit = row_values.get("debit", table.get(rid, "debit"))
                credit = row_values.get("credit", table.get(rid, "credit"))
                row_values["balance"] = debit - credit
            if table.name == "res.partner" and ("name" in row_values or "parent_id" in row_values):
                row_values["complete_name"] = self._partner_complete_name(
                    row_values.get("name", table.get(rid, "name")), row_values.get("parent_id", table.get(rid, "parent_id")))
            self._round_monetary(table, rid, row_values)
            row_values["write_date"] = timestamp
            row_values["write_uid"] = uid
            if bulk:
                row = table.rows[rid]
                for name, value in row_values.items():
                    row[table.col[name] if name in table.col else table.ensure_column(name)] = value
            else:
                table.update(rid, row_values)
        if bulk:
            table.mark_bulk_change()
        self._after_write(table, ids, converted, timestamp, uid)

    def _after_write(self, table, ids, written, timestamp, uid):
        """Stored related fields Odoo recomputes in the same transaction (and so the same write_date)."""
        if table.name != "account.move":
            return
        related = {"state": "parent_state", "date": "date", "name": "move_name"}
        changes = {line_field: name for name, line_field in related.items() if name in written}
        if not changes:
            return
        lines = self.store.tables["account.move.line"]
        children = lines.children_index("move_id")
        for rid in ids:
            for line in children.get(rid, ()):
                update = {line_field: table.get(rid, name) for line_field, name in changes.items()}
                update["write_date"] = timestamp
                update["write_uid"] = uid
                lines.update(line, update)

    def unlink_records(self, table, ids):
        doomed = {table.name: set(ids)}
        for child_model, field in sorted(CASCADE):
            if table.name == self.store.tables[child_model].fields[field].get("relation"):
                child = self.store.tables[child_model]
                position = child.col[field]
                doomed.setdefault(child_model, set()).update(
                    rid for rid, row in child.rows.items() if row[position] in doomed[table.name])
        gone = doomed[table.name]
        nullify, unlink_from = [], []
        for other in self.store.tables.values():
            for name, attrs in other.fields.items():
                if attrs.get("relation") != table.name or name not in other.col or (other.name, name) in CASCADE:
                    continue
                position = other.col[name]
                if attrs.get("type") == "many2one":
                    referencing = [rid for rid, row in other.rows.items()
                                   if row[position] in gone and rid not in doomed.get(other.name, ())]
                    if referencing and attrs.get("required"):
                        raise errors.ValidationError(
                            "The operation cannot be completed: another model requires the record being "
                            "deleted. If possible, archive it instead.\n\n"
                            f"Model: {other.name} ({other.name}), Field: {attrs.get('string', name)} ({name})")
                    if referencing:
                        nullify.append((other, position, referencing))
                elif attrs.get("type") == "many2many":
                    unlink_from.append((other, position))
        # ON DELETE SET NULL and relation-table cascades: the referencing rows keep their write_date
        for other, position, referencing in nullify:
            for rid in referencing:
                other.rows[rid][position] = None
            other.version += 1
        for other, position in unlink_from:
            for row in other.rows.values():
                if row[position] and gone.intersection(row[position]):
                    row[position] = tuple(i for i in row[position] if i not in gone)
            other.version += 1
        for model, doomed_ids in doomed.items():
            target = self.store.tables[model]
            bulk = len(doomed_ids) > 256
            for rid in doomed_ids:
                if bulk:
                    target.rows.pop(rid, None)
                else:
                    target.delete(rid)
            if bulk:
                target.mark_bulk_change()


def _as_ids(value) -> list[int]:
    if isinstance(value, bool):
        return [int(value)]
    if isinstance(value, int):
        return [value]
    return [int(v) for v in (value or [])]


class ModelMethods:
    """The public ORM methods with Odoo 18's signatures (`self` is a recordset of `ids`)."""

    RECORD_METHODS = ("read", "write", "unlink")

    def __init__(self, service: OdooService, table, env: Environment, started: int):
        self._service = service
        self._table = table
        self._env = env
        self._started = started
        self.ids: list[int] = []

    @property
    def _store(self):
        return self._service.store

    def _check_access(self, operation: str, missing_is_error: bool) -> list[int]:
        table = self._table
        existing = [rid for rid in self.ids if rid in table.rows]
        if missing_is_error and len(existing) != len(self.ids):
            missing = [rid for rid in self.ids if rid not in table.rows]
            raise errors.UserError(f"Record does not exist or has been deleted.\n"
                                   f"(Record: {table.name}({', '.join(map(str, missing))},), "
                                   f"User: {self._env.uid})")
        rule = self._env.rule_predicate(table)
        if rule is not None:
            forbidden = [rid for rid in existing if not rule(rid, table.rows[rid])]
            if forbidden:
                lines = "\n".join(f"- {self._model_description()}, {self._store.display_name(table.name, rid)} "
                                  f"({table.name}: {rid})" for rid in forbidden[:6])
                raise errors.AccessError(
                    "Uh-oh! Looks like you have stumbled upon some top-secret records.\n\n"
                    f"Sorry, {self._store.user_names.get(self._env.uid, 'Mitchell Admin')} "
                    f"(id={self._env.uid}) doesn't have '{operation}' access to:\n{lines}\n\n"
                    "If you really, really need access, perhaps you can win over your friendly administrator "
                    "with a batch of freshly baked cookies.")
        return existing

    def _model_description(self) -> str:
        return {"hr.expense": "Expense", "hr.expense.sheet": "Expense Report", "res.partner": "Contact",
                "hr.employee": "Employee", "account.move": "Journal Entry", "account.move.line": "Journal Item",
                "account.tax": "Tax", "account.account": "Account", "res.company": "Companies",
                "res.currency": "Currency"}.get(self._table.name, self._table.name)

    # -- reading -------------------------------------------------------------------------------
    def search_read(self, domain=None, fields=None, offset=0, limit=None, order=None, **read_kwargs):
        names = query.check_fields(self._table, fields, "search_read")
        try:
            inspect.signature(self._read_format).bind([], names, **read_kwargs)
        except TypeError as error:
            raise errors.ApplicationError("TypeError", f"BaseModel._read_format() {error}",
                                          errors.frame("models.py", 6133, "search_read",
                                                       "return records._read_format(fnames=fields, **read_kwargs)"))
        ids = query.search(self._store, self._table, self._env, domain or [], offset, limit, order, "search_read")
        return self._read_format(ids, names, **read_kwargs)

    def _read_format(self, ids, fnames, load="_classic_read"):
        return query.read(self._store, self._table, ids, fnames, load)

    def search(self, domain, offset=0, limit=None, order=None):
        return query.search(self._store, self._table, self._env, domain, offset, limit, order, "search")

    def search_count(self, domain, limit=None):
        return query.search(self._store, self._table, self._env, domain, limit=limit, method="search_count",
                            count_only=True)

    def read(self, fields=None, load="_classic_read"):
        names = query.check_fields(self._table, fields, "read")
        existing = self._check_access("read", missing_is_error=False)
        return query.read(self._store, self._table, existing, names, load)

    def fields_get(self, allfields=None, attributes=None):
        result = {}
        for name, attrs in self._table.fields.items():
            if allfields and name not in allfields:
                continue
            result[name] = {key: value for key, value in attrs.items() if not attributes or key in attributes}
        return result

    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        return grouping.read_group(self._store, self._table, self._env, domain, fields, groupby, offset, limit,
                                   orderby, lazy)

    def name_search(self, name="", domain=None, operator="ilike", limit=100):
        leaf = [("display_name", operator, name)] if name else []
        ids = query.search(self._store, self._table, self._env, leaf + list(domain or []), limit=limit,
                           method="name_search")
        return [[rid, self._store.display_name(self._table.name, rid)] for rid in ids]

    def check_access_rights(self, operation, raise_exception=True):
        return True

    # -- writing -------------------------------------------------------------------------------
    def create(self, vals_list):
        single = isinstance(vals_list, dict)
        ids = self._service.create_records(self._table, [vals_list] if single else list(vals_list), self._env,
                                           self._started, self._env.uid)
        return ids[0] if single else ids

    def write(self, vals):
        existing = self._check_access("write", missing_is_error=True)
        self._service.write_records(self._table, existing, vals, self._started, self._env.uid)
        return True

    def unlink(self):
        existing = self._check_access("unlink", missing_is_error=True)
        self._service.unlink_records(self._table, existing)
        return True
