"""Odoo domains: validated in Odoo 18's order, then compiled into row predicates.

Validation order mirrors odoo/osv/expression.py: unknown fields are reported first
(`_anyfy_leaves`), then the syntax (`normalize_domain`), then each leaf (`check_leaf`). Semantics
follow the SQL Odoo generates on PostgreSQL:
- `(f, '=', False)` is `f IS NULL` (booleans: NULL or false); `!=`, `not in`, `not like`,
  `not ilike` also match NULL unless False is among the values;
- `<`, `>`, ... never match NULL;
- datetimes compare at microsecond precision, a date-only value means 00:00:00, or 23:59:59 for
  `>` and `<=`; many2one compares by id, or by display name when the value is a string;
- `like`/`ilike` wrap the value in `%`, `=like`/`=ilike` use it as the pattern.
"""
import re
from dataclasses import dataclass
from datetime import date, datetime

import errors
import timeutil

DOMAIN_OPERATORS = ("!", "|", "&")
TERM_OPERATORS = ("=", "!=", "<=", "<", ">", ">=", "=?", "=like", "=ilike", "like", "not like", "ilike",
                  "not ilike", "in", "not in", "child_of", "parent_of", "any", "not any")
INTERNAL_OPERATORS = TERM_OPERATORS + ("<>",)
TRUE_LEAF = (1, "=", 1)
FALSE_LEAF = (0, "=", 1)
NEGATIVE_OPERATORS = ("!=", "not in", "not like", "not ilike")
LIKE_OPERATORS = ("like", "ilike", "not like", "not ilike", "=like", "=ilike")


@dataclass
class Leaf:
    field: str
    operator: str
    value: object  # converted to the stored form when the field is a plain comparable column


@dataclass
class Compiled:
    predicate: object  # (rid, row) -> bool
    conjuncts: list  # top-level AND members: Leaf or None for anything else


def _always(rid, row):
    return True


def _never(rid, row):
    return False


def validate_and_normalize(table, domain, method: str) -> list:
    """Returns the domain in normalised prefix form, raising the errors Odoo 18 raises."""
    if domain is None or domain is False:
        return []
    try:
        items = list(domain)
    except TypeError:
        raise errors.domain_error(method, "TypeError", f"'{type(domain).__name__}' object is not iterable")
    if not items:
        return []
    checked = []
    for item in items:
        if isinstance(item, str) and item in DOMAIN_OPERATORS:
            checked.append(item)
            continue
        try:
            leaf = tuple(item)
        except TypeError:
            raise errors.domain_error(method, "TypeError", f"'{type(item).__name__}' object is not iterable")
        if len(leaf) != 3:
            message = (f"not enough values to unpack (expected 3, got {len(leaf)})" if len(leaf) < 3
                       else "too many values to unpack (expected 3)")
            raise errors.domain_error(method, "ValueError", message)
        if leaf in (TRUE_LEAF, FALSE_LEAF):
            checked.append(leaf)
            continue
        left = leaf[0]
        if not isinstance(left, str):
            raise errors.domain_error(method, "AttributeError", f"'{type(left).__name__}' object has no attribute 'split'")
        head = left.split(".", 1)[0]
        if head not in table.fields:
            raise errors.domain_field_error(method, table.name, head, leaf)
        checked.append(leaf)

    result, expected = [], 1
    arity = {"!": 1, "&": 2, "|": 2}
    for token in checked:
        if expected == 0:
            result[0:0] = ["&"]
            expected = 1
        if isinstance(token, tuple):
            expected -= 1
        else:
            expected += arity.get(token, 0) - 1
        result.append(token)
    if expected:
        raise errors.domain_error(method, "ValueError", f"Domain {list(domain)} is syntactically not correct.")

    normalized = []
    for token in result:
        if isinstance(token, str):
            normalized.append(token)
            continue
        if token in (TRUE_LEAF, FALSE_LEAF):
            normalized.append(token)
            continue
        left, operator, right = token
        if not (isinstance(operator, str) and operator in INTERNAL_OPERATORS and left):
            raise errors.domain_leaf_error(method, token)
        if operator == "<>":
            operator = "!="
        if isinstance(right, bool) and operator in ("in", "not in"):
            operator = "=" if operator == "in" else "!="
        if isinstance(right, (list, tuple)) and operator in ("=", "!="):
            operator = "in" if operator == "=" else "not in"
        normalized.append((left, operator, right))
    return normalized


class DomainCompiler:
    def __init__(self, store, table, method: str):
        self.store = store
        self.table = table
        self.method = method

    def compile(self, domain) -> Compiled:
        tokens = validate_and_normalize(self.table, domain, self.method)
        if not tokens:
            return Compiled(_always, [])
        stack = []
        for token in reversed(tokens):
            if token == "!":
                stack.append(("not", stack.pop()))
            elif token in ("&", "|"):
                first, second = stack.pop(), stack.pop()
                kind = "and" if token == "&" else "or"
                members = []
                for node in (first, second):
                    members.extend(node[1] if node[0] == kind else [node])
                stack.append((kind, members))
            else:
                stack.append(("leaf", token))
        root = stack.pop()
        conjuncts = root[1] if root[0] == "and" else [root]
        leaves = []
        for node in conjuncts:
            leaves.append(self._plannable(node))
        return Compiled(self._predicate(root), leaves)

    # -- planning ------------------------------------------------------------------------------
    def _plannable(self, node):
        if node[0] != "leaf":
            return None
        left, operator, right = node[1]
        if left == "id" and operator in ("=", "<", "<=", ">", ">=", "in"):
            try:
                if operator == "in":
                    values = [int(v) for v in right if v is not False and v is not None]
                    return Leaf("id", "in", values)
                if isinstance(right, bool) or right is None:
                    return None
                return Leaf("id", operator, int(right))
            except (TypeError, ValueError):
                return None
        if left == "write_date" and operator in ("=", "<", "<=", ">", ">="):
            value = self._datetime_value(right, operator)
            return Leaf("write_date", operator, value) if value is not None else None
        return None

    # -- predicates ----------------------------------------------------------------------------
    def _predicate(self, node):
        kind = node[0]
        if kind == "leaf":
            return self._leaf(node[1])
        if kind == "not":
            inner = self._predicate(node[1])
            return lambda rid, row: not inner(rid, row)
        parts = [self._predicate(member) for member in node[1]]
        if kind == "and":
            if len(parts) == 2:
                a, b = parts
                return lambda rid, row: a(rid, row) and b(rid, row)
            return lambda rid, row: all(p(rid, row) for p in parts)
        if len(parts) == 2:
            a, b = parts
            return lambda rid, row: a(rid, row) or b(rid, row)
        return lambda rid, row: any(p(rid, row) for p in parts)

    def _leaf(self, leaf):
        if leaf == TRUE_LEAF:
            return _always
        if leaf == FALSE_LEAF:
            return _never
        left, operator, right = leaf
        if operator == "=?":
            if right is False or right is None:
                return _always
            operator = "="
        if operator in ("any", "not any"):
            raise errors.value_error(self.method, f"the Odoo simulator does not evaluate '{operator}' leaves: {leaf}")
        path = left.split(".", 1)
        name = path[0]
        field_type = self.table.types.get(name)
        if name != "id" and not self.table.stored(name) and name not in self.table.spec.computed \
                and name not in self.table.spec.one2many:
            raise errors.value_error(self.method, f"Non-stored field {self.table.name}.{name} cannot be searched.")
        if name in self.table.spec.computed and not self.table.spec.computed[name].searchable:
            raise errors.value_error(self.method, f"Non-stored field {self.table.name}.{name} cannot be searched.")
        getter = self._getter(name)
        if len(path) > 1:
            return self._path_leaf(name, field_type, getter, path[1], operator, right, leaf)
        if name == "id":
            field_type = "integer"
        if operator in ("child_of", "parent_of"):
            return self._hierarchy_leaf(name, field_type, getter, operator, right)
        if field_type == "many2one":
            return self._many2one_leaf(name, getter, operator, right, leaf)
        if field_type in ("one2many", "many2many"):
            return self._x2many_leaf(name, getter, operator, right, leaf)
        return self._scalar_leaf(field_type, getter, operator, right, leaf)

    def _getter(self, name):
        relation = self.table.spec.one2many.get(name)
        if relation is None:
            return self.table.getter(name)
        comodel, inverse, row_filter = relation
        child_table = self.store.tables.get(comodel)
        if child_table is None:
            return lambda rid, row: ()

        def children(rid, row):
            ids = child_table.children_index(inverse).get(rid, ())
            if row_filter:
                position = child_table.col[row_filter[0]]
                ids = [c for c in ids if child_table.rows[c][position] == row_filter[1]]
            return tuple(ids)
        return children

    # -- value conversion ----------------------------------------------------------------------
    def _datetime_value(self, value, operator):
        if value is False or value is None:
            return None
        if isinstance(value, datetime):
            return timeutil.to_micros(value)
        if isinstance(value, date):
            return timeutil.to_micros(datetime(value.year, value.month, value.day))
        text = str(value)
        if len(text) == 10:
            text += " 23:59:59" if operator in (">", "<=") else " 00:00:00"
        micros = timeutil.parse_datetime(text)
        if micros is None:
            raise errors.sql_error(self.method, "psycopg2.errors.InvalidDatetimeFormat",
                                   f'invalid input syntax for type timestamp: "{value}"')
        return micros

    def _convert(self, field_type, value, operator, leaf):
        """One comparison value in stored form (None for False)."""
        if value is False or value is None:
            return None
        if field_type == "datetime":
            return self._datetime_value(value, operator)
        if field_type == "date":
            if isinstance(value, datetime):
                return value.date().isoformat()
            if isinstance(value, date):
                return value.isoformat()
            parsed = timeutil.parse_date(str(value))
            if parsed is None:
                raise errors.sql_error(self.method, "psycopg2.errors.InvalidDatetimeFormat",
                                       f'invalid input syntax for type date: "{value}"')
            return parsed
        if field_type in ("integer", "many2one", "one2many", "many2many"):
            if isinstance(value, bool):
                return int(value)
            try:
                return int(value) if not isinstance(value, float) or value.is_integer() else value
            except (TypeError, ValueError):
                raise errors.sql_error(self.method, "psycopg2.errors.InvalidTextRepresentation",
                                       f'invalid input syntax for type integer: "{value}"')
        if field_type in ("float", "monetary"):
            try:
                return float(value)
            except (TypeError, ValueError):
                raise errors.sql_error(self.method, "psycopg2.errors.InvalidTextRepresentation",
                                       f'invalid input syntax for type numeric: "{value}"')
        if field_type == "boolean":
            return bool(value)
        return value if isinstance(value, str) else str(value)

    # -- leaf kinds ----------------------------------------------------------------------------
    def _scalar_leaf(self, field_type, getter, operator, right, leaf):
        if operator in LIKE_OPERATORS:
            return self._like_leaf(getter, operator, right)
        if field_type == "boolean":
            if operator in ("in", "not in"):
                wanted = {bool(v) for v in right}
                if operator == "in":
                    return lambda rid, row: bool(getter(rid, row)) in wanted
                return lambda rid, row: bool(getter(rid, row)) not in wanted
            target = bool(right)
            if operator == "=":
                return lambda rid, row: bool(getter(rid, row)) == target
            if operator == "!=":
                return lambda rid, row: bool(getter(rid, row)) != target
        if operator in ("in", "not in"):
            if not isinstance(right, (list, tuple)):
                right = [right]
            has_null = any(v is False or v is None for v in right)
            wanted = {self._convert(field_type, v, "=", leaf) for v in right if v is not False and v is not None}
            if operator == "in":
                if has_null:
                    return lambda rid, row: (value := getter(rid, row)) is None or value in wanted
                return lambda rid, row: getter(rid, row) in wanted
            if has_null:
                return lambda rid, row: (value := getter(rid, row)) is not None and value not in wanted
            return lambda rid, row: (value := getter(rid, row)) is None or value not in wanted
        target = self._convert(field_type, right, operator, leaf)
        if operator == "=":
            if target is None:
                return lambda rid, row: getter(rid, row) is None
            return lambda rid, row: getter(rid, row) == target
        if operator == "!=":
            if target is None:
                return lambda rid, row: getter(rid, row) is not None
            return lambda rid, row: (value := getter(rid, row)) is None or value != target
        if target is None:
            return _never
        if operator == "<":
            return lambda rid, row: (value := getter(rid, row)) is not None and value < target
        if operator == "<=":
            return lambda rid, row: (value := getter(rid, row)) is not None and value <= target
        if operator == ">":
            return lambda rid, row: (value := getter(rid, row)) is not None and value > target
        if operator == ">=":
            return lambda rid, row: (value := getter(rid, row)) is not None and value >= target
        raise errors.domain_leaf_error(self.method, leaf)

    def _like_leaf(self, getter, operator, right):
        matches = like_matcher(operator, right)
        if operator.startswith("not"):
            return lambda rid, row: (value := getter(rid, row)) is None or not matches(str(value))
        return lambda rid, row: (value := getter(rid, row)) is not None and matches(str(value))

    def _name_ids(self, comodel, operator, value):
        """Ids of `comodel` whose display name satisfies the positive form of `operator`."""
        positive = {"!=": "=", "not in": "in", "not like": "like", "not ilike": "ilike"}.get(operator, operator)
        store = self.store
        table = store.tables.get(comodel)
        candidates = table.rows.keys() if table is not None else store.catalog.get(comodel, {}).keys()
        if positive in LIKE_OPERATORS:
            matches = like_matcher(positive, value)
            return {i for i in candidates if matches(store.display_name(comodel, i))}
        names = set(value) if positive == "in" else {value}
        return {i for i in candidates if store.display_name(comodel, i) in names}

    def _many2one_leaf(self, name, getter, operator, right, leaf):
        comodel = self.table.fields[name].get("relation")
        by_name = isinstance(right, str) or (isinstance(right, (list, tuple)) and right and
                                             all(isinstance(v, str) for v in right))
        if operator in LIKE_OPERATORS or by_name:
            if right is False or right is None:
                return self._scalar_leaf("integer", getter, "=" if operator in ("=", "like", "ilike") else "!=", False, leaf)
            ids = self._name_ids(comodel, operator, right)
            if operator in NEGATIVE_OPERATORS:
                return lambda rid, row: (value := getter(rid, row)) is None or value not in ids
            return lambda rid, row: getter(rid, row) in ids
        return self._scalar_leaf("many2one", getter, operator, right, leaf)

    def _x2many_leaf(self, name, getter, operator, right, leaf):
        if operator in LIKE_OPERATORS:
            comodel = self.table.fields[name].get("relation")
            ids = self._name_ids(comodel, operator, right)
            if operator in NEGATIVE_OPERATORS:
                return lambda rid, row: not ids.intersection(getter(rid, row))
            return lambda rid, row: bool(ids.intersection(getter(rid, row)))
        if operator in ("=", "!=") and (right is False or right is None):
            if operator == "=":
                return lambda rid, row: not getter(rid, row)
            return lambda rid, row: bool(getter(rid, row))
        values = right if isinstance(right, (list, tuple)) else [right]
        has_null = any(v is False or v is None for v in values)
        wanted = {self._convert("many2many", v, "=", leaf) for v in values if v is not False and v is not None}
        if operator in ("=", "in"):
            return lambda rid, row: bool(wanted.intersection(ids := getter(rid, row))) or (has_null and not ids)
        if operator in ("!=", "not in"):
            return lambda rid, row: not wanted.intersection(ids := getter(rid, row)) and not (has_null and not ids)
        raise errors.value_error(self.method, f"the Odoo simulator does not evaluate {leaf} on a {name} x2many field")

    def _hierarchy_leaf(self, name, field_type, getter, operator, right):
        comodel = self.table.name if name == "id" else self.table.fields[name].get("relation")
        target = self.store.tables.get(comodel)
        roots = {int(v) for v in (right if isinstance(right, (list, tuple)) else [right])
                 if v is not False and v is not None}
        ids = set(roots)
        if target is not None and target.spec.parent_field:
            parent = target.col[target.spec.parent_field]
            if operator == "child_of":
                frontier = set(roots)
                while frontier:
                    frontier = {rid for rid, row in target.rows.items() if row[parent] in frontier} - ids
                    ids |= frontier
            else:
                frontier = set(roots)
                while frontier:
                    frontier = {target.rows[r][parent] for r in frontier
                                if r in target.rows and target.rows[r][parent] is not None} - ids
                    ids |= frontier
        if field_type in ("one2many", "many2many"):
            return lambda rid, row: bool(ids.intersection(getter(rid, row)))
        return lambda rid, row: getter(rid, row) in ids

    def _path_leaf(self, name, field_type, getter, rest, operator, right, leaf):
        comodel = self.table.fields[name].get("relation")
        target = self.store.tables.get(comodel)
        if field_type not in ("many2one", "one2many", "many2many") or target is None:
            raise errors.value_error(
                self.method, f"the Odoo simulator can only follow a path through a served relational field, "
                f"not {self.table.name}.{name} in {leaf}")
        sub = DomainCompiler(self.store, target, self.method).compile([(rest, operator, right)]).predicate
        ids = {rid for rid, row in target.rows.items() if sub(rid, row)}
        if field_type == "many2one":
            return lambda rid, row: getter(rid, row) in ids
        return lambda rid, row: bool(ids.intersection(getter(rid, row)))


_like_cache: dict = {}


def like_matcher(operator: str, value):
    """PostgreSQL LIKE/ILIKE: % any run, _ one character, backslash escapes."""
    key = (operator, value)
    cached = _like_cache.get(key)
    if cached is not None:
        return cached
    text = "" if value is None or value is False else str(value)
    pattern = text if operator.startswith("=") else f"%{text}%"
    parts, escaped = [], False
    for char in pattern:
        if escaped:
            parts.append(re.escape(char))
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    flags = re.DOTALL | (re.IGNORECASE if "ilike" in operator else 0)
    matcher = re.compile("".join(parts), flags).fullmatch
    result = lambda candidate: matcher(candidate) is not None  # noqa: E731
    if len(_like_cache) > 10_000:
        _like_cache.clear()
    _like_cache[key] = result
    return result
