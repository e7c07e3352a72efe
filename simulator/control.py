"""The test-only control API: JSON over HTTP under /__control__/ on the simulator's own port.

Never faulted, never counted. Every endpoint answers JSON; a bad request answers 400 with
{"error": "..."}. Timestamps are given and returned as 'YYYY-MM-DD HH:MM:SS[.ffffff]' (UTC),
at the microsecond precision the simulated database stores.
"""
import itertools
import json
import threading
from decimal import Decimal

import errors
import faults
import query
import seed
import timeutil
from query import Environment


class ControlError(Exception):
    """A malformed control request: answered 400."""


class StagedTransaction:
    """A transaction begun now and committed later: its rows carry the begin timestamp."""

    def __init__(self, number: int, timestamp: int):
        self.number = number
        self.timestamp = timestamp
        self.operations: list[tuple] = []


class Control:
    def __init__(self, state):
        self.state = state
        self._numbers = itertools.count(1)
        self._transactions: dict[int, StagedTransaction] = {}
        self._lock = threading.Lock()

    def handle(self, method: str, path: str, params: dict, body: bytes):
        parts = [p for p in path.split("/") if p][1:]  # drop "__control__"
        data = {}
        if body:
            try:
                data = json.loads(body)
            except ValueError as error:
                raise ControlError(f"the body is not JSON: {error}")
        if not isinstance(data, dict):
            raise ControlError("the body must be a JSON object")
        data = {**params, **data}
        route = "/".join(parts)
        if route == "health":
            return {"ok": True}
        if route == "config":
            return self.config()
        if route == "reset" and method == "POST":
            return self.reset(data)
        if route == "faults":
            if method == "GET":
                return {"rules": self.state.faults.describe()}
            rules = data.get("rules", [data])
            parsed = []
            for rule in rules:
                try:
                    parsed.append(faults.parse_rule(rule))
                except (TypeError, ValueError) as error:
                    raise ControlError(str(error))
            for rule in parsed:
                self.state.faults.add(rule)
            return {"rules": self.state.faults.describe()}
        if route == "faults/clear":
            self.state.faults.clear()
            return {"rules": []}
        if route == "clock":
            return self.clock(data) if method == "POST" else self.state.clock.describe()
        if route == "create":
            return self.create(data)
        if route == "write":
            return self.write(data)
        if route == "unlink":
            return self.unlink(data)
        if route == "read":
            return self.read(data)
        if route == "totals":
            return self.totals(data)
        if route == "stats":
            return self.state.stats.describe(self.state.faults.injected)
        if route == "stats/reset":
            self.state.stats.reset()
            self.state.faults.injected = 0
            return self.state.stats.describe(0)
        if parts[:1] == ["transactions"]:
            return self.transactions(parts[1:], data)
        raise ControlError(f"no control endpoint {method} /{'/'.join(['__control__'] + parts)}")

    # -- configuration -------------------------------------------------------------------------
    def config(self) -> dict:
        state = self.state
        with state.store.lock:
            counts = {name: len(table.rows) for name, table in state.store.tables.items()}
        credentials = state.credentials
        return {"database": credentials.database, "login": credentials.login, "uid": credentials.uid,
                "odoo_version": state.odoo_version, "seed": state.seed_config.__dict__ | {
                    "epoch": timeutil.full_datetime(state.seed_config.epoch)},
                "counts": counts, "clock": state.clock.describe()}

    def reset(self, data: dict) -> dict:
        config = self.state.seed_config
        options = {}
        for key in ("seed", "companies", "partners", "employees", "expenses", "moves", "burst", "span_days"):
            if key in data:
                options[key] = _integer(data, key)
        if "epoch" in data:
            options["epoch"] = _timestamp(data["epoch"])
        new_config = seed.SeedConfig(**{**config.__dict__, **options})
        try:
            new_config.validate()
        except ValueError as error:
            raise ControlError(str(error))
        self.state.reseed(new_config)
        with self._lock:
            self._transactions.clear()
        return self.config()

    def clock(self, data: dict) -> dict:
        clock = self.state.clock
        if data.get("real"):
            clock.set_real(round(float(data.get("offset_seconds", 0)) * 1_000_000))
        elif "set" in data:
            clock.set_manual(_timestamp(data["set"]), _integer(data, "step_us") if "step_us" in data else 0)
        elif "advance_seconds" in data:
            clock.advance(round(float(data["advance_seconds"]) * 1_000_000))
        else:
            raise ControlError("clock needs one of: {\"set\": timestamp, \"step_us\": n}, "
                               "{\"real\": true, \"offset_seconds\": s}, {\"advance_seconds\": s}")
        return clock.describe()

    # -- data ----------------------------------------------------------------------------------
    def _table(self, data: dict):
        name = data.get("model")
        table = self.state.store.table(name) if isinstance(name, str) else None
        if table is None:
            raise ControlError(f"unknown model {name!r}; served models: {', '.join(sorted(self.state.store.tables))}")
        return table

    def _env(self, data: dict) -> Environment:
        context = {"active_test": bool(data.get("active_test", False))}
        if data.get("company_id"):
            context["allowed_company_ids"] = [int(data["company_id"])]
        return Environment(self.state.store, self.state.credentials.uid, context)

    def _ids(self, table, data: dict, env: Environment) -> list[int]:
        if "ids" in data:
            ids = data["ids"]
            if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
                raise ControlError("ids must be a list of integers")
            missing = [i for i in ids if i not in table.rows]
            if missing:
                raise ControlError(f"{table.name} has no records {missing[:10]}")
            return ids
        if "domain" in data:
            return query.search(self.state.store, table, env, data["domain"], order="id")
        raise ControlError("give the records as \"ids\": [...] or \"domain\": [...]")

    def _timestamp_for(self, data: dict) -> int:
        return _timestamp(data["at"]) if data.get("at") else self.state.clock.now()

    def _create_values(self, table, data: dict, env: Environment) -> list[dict]:
        if "values" in data and isinstance(data["values"], list):
            return data["values"]
        count = _integer(data, "count") if "count" in data else 1
        overrides = data.get("values") or {}
        if not isinstance(overrides, dict):
            raise ControlError("values must be an object (with count) or a list of objects")
        like = data.get("like_id")
        if like is None:
            candidates = query.search(self.state.store, table, env, [], order="id", limit=1)
            if not candidates:
                raise ControlError(f"no {table.name} record to copy in that company; pass \"values\" explicitly")
            like = candidates[0]
        if like not in table.rows:
            raise ControlError(f"{table.name} has no record {like}")
        template = {}
        for name in table.columns:
            if name in ("create_date", "write_date", "create_uid", "write_uid"):
                continue
            value = table.rows[like][table.col[name]]
            field_type = table.types.get(name)
            if field_type == "datetime" and value is not None:
                value = timeutil.full_datetime(value)
            elif field_type == "many2many":
                value = list(value)
            elif value is None:
                value = False
            template[name] = value
        template.update(overrides)
        return [dict(template) for _ in range(count)]

    def create(self, data: dict) -> dict:
        state = self.state
        table = self._table(data)
        env = self._env(data)
        with state.store.lock:
            vals_list = self._create_values(table, data, env)
            timestamp = self._timestamp_for(data)
            ids = self._call(lambda: state.service.create_records(table, vals_list, env, timestamp,
                                                                   state.credentials.uid))
        state.clock.tick()
        return {"ids": ids, "write_date": timeutil.full_datetime(timestamp)}

    def write(self, data: dict) -> dict:
        state = self.state
        table = self._table(data)
        env = self._env(data)
        values = data.get("values", {})
        with state.store.lock:
            ids = self._ids(table, data, env)
            timestamp = self._timestamp_for(data)
            self._call(lambda: state.service.write_records(table, ids, values, timestamp,
                                                           state.credentials.uid))
        state.clock.tick()
        return {"ids": ids, "write_date": timeutil.full_datetime(timestamp)}

    def unlink(self, data: dict) -> dict:
        state = self.state
        table = self._table(data)
        env = self._env(data)
        with state.store.lock:
            ids = self._ids(table, data, env)
            self._call(lambda: state.service.unlink_records(table, ids))
        return {"ids": ids}

    def read(self, data: dict) -> dict:
        """Stored values, datetimes with their microseconds (what the wire never shows)."""
        table = self._table(data)
        env = self._env(data)
        fields = data.get("fields") or ["write_date", "create_date"]
        with self.state.store.lock:
            ids = self._ids(table, data, env)
            records = []
            for rid in ids:
                record = {"id": rid}
                for name in fields:
                    if name not in table.fields:
                        raise ControlError(f"{table.name} has no field {name!r}")
                    value = table.get(rid, name)
                    if table.types.get(name) == "datetime" and value is not None:
                        value = timeutil.full_datetime(value)
                    elif isinstance(value, tuple):
                        value = list(value)
                    record[name] = value
                records.append(record)
        return {"records": records}

    def totals(self, data: dict) -> dict:
        """Exact per-group sums (by company unless `group_by` says otherwise), archived rows included."""
        table = self._table(data)
        field = data.get("field")
        if field not in table.fields or table.types.get(field) not in ("float", "monetary", "integer"):
            raise ControlError(f"field must be a numeric field of {table.name}, not {field!r}")
        group_by = data.get("group_by", "company_id")
        if group_by not in table.fields:
            raise ControlError(f"{table.name} has no field {group_by!r} to group by")
        domain = data.get("domain") or []
        if isinstance(domain, str):
            domain = json.loads(domain)
        env = self._env(data)
        with self.state.store.lock:
            ids = self._call(lambda: query.search(self.state.store, table, env, domain, order="id"))
            groups: dict[str, list] = {}
            get_value, get_group = table.getter(field), table.getter(group_by)
            for rid in ids:
                row = table.rows[rid]
                key = get_group(rid, row)
                entry = groups.setdefault(json.dumps(key if not isinstance(key, tuple) else list(key)),
                                          [0, Decimal(0)])
                entry[0] += 1
                entry[1] += Decimal(repr(get_value(rid, row)))

        def describe(count, amount):
            return {"count": count, "sum": f"{amount:.2f}", "cents": int((amount * 100).to_integral_value())}
        total_count = sum(entry[0] for entry in groups.values())
        total_amount = sum((entry[1] for entry in groups.values()), Decimal(0))
        return {"model": table.name, "field": field, "group_by": group_by,
                "groups": {key: describe(*entry) for key, entry in sorted(groups.items())},
                "total": describe(total_count, total_amount)}

    # -- long transactions ---------------------------------------------------------------------
    def transactions(self, parts: list[str], data: dict) -> dict:
        if parts == ["begin"]:
            timestamp = self._timestamp_for(data)
            with self._lock:
                transaction = StagedTransaction(next(self._numbers), timestamp)
                self._transactions[transaction.number] = transaction
            return {"transaction": transaction.number, "timestamp": timeutil.full_datetime(timestamp)}
        if len(parts) != 2 or not parts[0].isdigit():
            raise ControlError("use /__control__/transactions/begin, then /transactions/<n>/create|write|commit|rollback")
        with self._lock:
            transaction = self._transactions.get(int(parts[0]))
        if transaction is None:
            raise ControlError(f"no open transaction {parts[0]}")
        action = parts[1]
        state = self.state
        if action == "create":
            table = self._table(data)
            env = self._env(data)
            with state.store.lock:
                vals_list = self._create_values(table, data, env)
                # the sequence hands out ids at INSERT time, long before the commit makes them visible
                ids = [table.allocate_id() for _ in vals_list]
            transaction.operations.append(("create", table, vals_list, env, ids))
            return {"transaction": transaction.number, "ids": ids}
        if action == "write":
            table = self._table(data)
            env = self._env(data)
            with state.store.lock:
                ids = self._ids(table, data, env)
            transaction.operations.append(("write", table, data.get("values", {}), env, ids))
            return {"transaction": transaction.number, "ids": ids}
        if action in ("commit", "rollback"):
            with self._lock:
                self._transactions.pop(transaction.number, None)
            if action == "rollback":
                return {"transaction": transaction.number, "committed": False}
            with state.store.lock:
                for kind, table, payload, env, ids in transaction.operations:
                    if kind == "create":
                        self._call(lambda: state.service.create_records(
                            table, payload, env, transaction.timestamp, state.credentials.uid, ids=ids))
                    else:
                        self._call(lambda: state.service.write_records(
                            table, [i for i in ids if i in table.rows], payload, transaction.timestamp,
                            state.credentials.uid))
            return {"transaction": transaction.number, "committed": True,
                    "write_date": timeutil.full_datetime(transaction.timestamp)}
        raise ControlError(f"unknown transaction action {action!r}")

    @staticmethod
    def _call(function):
        try:
            return function()
        except errors.ApplicationError as error:
            raise ControlError(f"{error.exception}: {error.message}")
        except errors.OdooError as error:
            raise ControlError(str(error))


def _integer(data: dict, key: str) -> int:
    value = data[key]
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ControlError(f"{key} must be an integer, not {value!r}")


def _timestamp(value) -> int:
    micros = timeutil.parse_datetime(str(value))
    if micros is None:
        raise ControlError(f"not a timestamp: {value!r}; use 'YYYY-MM-DD HH:MM:SS[.ffffff]'")
    return micros
