"""search / search_count / read: domains, record rules, active_test, ORDER BY, OFFSET, LIMIT.

Indexes keep paging cheap at 200k rows: a top-level write_date or id bound narrows the candidate
rows by bisection, and `ORDER BY write_date, id` or `ORDER BY id` streams rows in index order so a
LIMIT stops the scan early. Every candidate is still checked against the whole domain, so the
index never changes a result, only its cost.
"""
import re

import domain as domain_module
import errors
import values

_ORDER_SPEC = re.compile(r'^(\s*([a-z0-9:_]+|"[a-z0-9:_]+")(\.id)?(\s+(desc|asc))?(\s+nulls\s+(first|last))?\s*(,|$))+(?<!,)$',
                         re.IGNORECASE)
_ORDER_TERM = re.compile(r'^"?([a-z0-9:_]+)"?(\.id)?(?:\s+(asc|desc))?(?:\s+nulls\s+(first|last))?$', re.IGNORECASE)
_UNORDERABLE = ("one2many", "many2many", "json", "binary", "html", "properties", "properties_definition")


class Environment:
    """What Odoo derives from the call's context: visible companies and active_test."""

    def __init__(self, store, uid: int, context: dict | None):
        self.store = store
        self.uid = uid
        self.context = context if isinstance(context, dict) else {}
        self.active_test = self.context.get("active_test", True) is not False
        allowed = self.context.get("allowed_company_ids")
        companies = store.tables["res.company"].rows
        if allowed:
            if not isinstance(allowed, (list, tuple)) or any(c not in companies for c in allowed):
                raise errors.AccessError("Access to unauthorized or invalid companies.")
            self.company_ids = list(allowed)
        else:
            self.company_ids = sorted(companies)
        self.company_set = set(self.company_ids)

    @property
    def company_id(self) -> int:
        return self.company_ids[0]

    def rule_predicate(self, table):
        """The multi-company record rule: company_id in the allowed companies, or unset."""
        kind = table.spec.company_rule
        if kind is None or self.company_set == set(self.store.tables["res.company"].rows):
            return None
        allowed = self.company_set
        if kind == "company_id":
            position = table.col["company_id"]
            return lambda rid, row: (value := row[position]) is None or value in allowed
        position = table.col["company_ids"]
        return lambda rid, row: not row[position] or bool(allowed.intersection(row[position]))


def with_active_test(table, domain, env: Environment):
    """Odoo's _where_calc: hide archived rows unless the domain itself mentions `active`."""
    if "active" in table.fields and table.stored("active") and env.active_test:
        items = list(domain or [])
        if not any(isinstance(item, (list, tuple)) and item and item[0] == "active" for item in items):
            return [("active", "=", 1)] + items
    return domain


def parse_order(table, order: str | None, method: str) -> list[tuple[str, bool, bool | None]]:
    """[(field, descending, nulls_first)] from an ORDER BY specification."""
    spec = order or table.spec.order
    if not isinstance(spec, str) or not _ORDER_SPEC.match(spec):
        raise errors.value_error(
            method, f'Invalid "order" specified ({spec}). A valid "order" specification is a comma-separated '
            "list of valid field names (optionally followed by asc/desc for the direction)")
    terms = []
    for part in spec.split(","):
        match = _ORDER_TERM.match(part.strip())
        name, _, direction, nulls = match.groups()
        if name not in table.fields and name != "id":
            raise errors.value_error(method, f"Invalid field {name!r} on model {table.name!r}")
        if not table.stored(name):
            raise errors.value_error(method, f"Cannot convert {table.name}.{name} to SQL because it is not stored")
        if table.types.get(name) in _UNORDERABLE:
            raise errors.value_error(method, f"Cannot order {table.name} by {table.types.get(name)} field {name}")
        descending = (direction or "asc").lower() == "desc"
        nulls_first = None if nulls is None else nulls.lower() == "first"
        terms.append((name, descending, nulls_first))
    return terms


def _many2one_ranks(store, comodel: str) -> dict[int, int]:
    """Position of each comodel id under the comodel's own _order, as Odoo's ORDER BY joins it."""
    table = store.tables.get(comodel)
    if table is None:
        names = store.catalog.get(comodel, {})
        return {rid: rank for rank, rid in enumerate(sorted(names, key=lambda i: (names[i], i)))}
    cache = store.__dict__.setdefault("_rank_cache", {})
    cached = cache.get(comodel)
    if cached and cached[0] == table.version:
        return cached[1]
    ids = sort_ids(store, table, list(table.rows), parse_order(table, None, "search"), depth=1)
    ranks = {rid: rank for rank, rid in enumerate(ids)}
    cache[comodel] = (table.version, ranks)
    return ranks


def sort_ids(store, table, ids: list, terms, depth: int = 0) -> list:
    """Stable multi-pass sort; NULLs last ascending and first descending, like PostgreSQL."""
    rows = table.rows
    for name, descending, nulls_first in reversed(terms):
        get = table.getter(name)
        if table.types.get(name) == "many2one" and depth == 0:
            ranks = _many2one_ranks(store, table.fields[name]["relation"])

            def key_value(rid, get=get, ranks=ranks):
                value = get(rid, rows[rid])
                return None if value is None else ranks.get(value, value)
        elif table.types.get(name) == "boolean":
            def key_value(rid, get=get):
                return bool(get(rid, rows[rid]))
        else:
            def key_value(rid, get=get):
                return get(rid, rows[rid])
        nulls_high = not nulls_first if nulls_first is not None else True
        if descending:
            nulls_high = not nulls_high if nulls_first is not None else True

        def key(rid, key_value=key_value, nulls_high=nulls_high):
            value = key_value(rid)
            if value is None:
                return (1 if nulls_high else -1, 0)
            return (0, value)
        ids.sort(key=key, reverse=descending)
    return ids


def _candidates(table, conjuncts, terms):
    """Candidate ids and whether they already come in the requested order."""
    wd_low = wd_high = None
    wd_low_inc = wd_high_inc = True
    id_low = id_high = None
    id_low_inc = id_high_inc = True
    id_set = None
    for leaf in conjuncts:
        if leaf is None:
            continue
        op, value = leaf.operator, leaf.value
        if leaf.field == "write_date":
            if op in (">", ">=", "=") and (wd_low is None or value > wd_low or (value == wd_low and op == ">")):
                wd_low, wd_low_inc = value, op != ">"
            if op in ("<", "<=", "=") and (wd_high is None or value < wd_high or (value == wd_high and op == "<")):
                wd_high, wd_high_inc = value, op != "<"
        else:
            if op == "in":
                id_set = set(value) if id_set is None else id_set & set(value)
                continue
            if op in (">", ">=", "=") and (id_low is None or value > id_low or (value == id_low and op == ">")):
                id_low, id_low_inc = value, op != ">"
            if op in ("<", "<=", "=") and (id_high is None or value < id_high or (value == id_high and op == "<")):
                id_high, id_high_inc = value, op != "<"

    plain_terms = [(name, descending) for name, descending, _ in terms]
    by_write_date = plain_terms in ([("write_date", False), ("id", False)], [("write_date", True), ("id", True)])
    by_id = plain_terms in ([("id", False)], [("id", True)])
    descending = bool(plain_terms) and plain_terms[0][1]

    if id_set is not None and len(id_set) < 5000:
        ids = sorted(i for i in id_set if i in table.rows)
        if by_id:
            return (ids[::-1] if descending else ids), True
        return ids, False
    if wd_low is not None or wd_high is not None or by_write_date:
        index, start, end = table.ids_in_write_date_range(wd_low, wd_low_inc, wd_high, wd_high_inc)
        if by_write_date:
            if descending:
                return (index[i][1] for i in range(end - 1, start - 1, -1)), True
            return (index[i][1] for i in range(start, end)), True
        return [index[i][1] for i in range(start, end)], False
    ids, start, end = table.ids_in_id_range(id_low, id_low_inc, id_high, id_high_inc)
    if by_id:
        if descending:
            return (ids[i] for i in range(end - 1, start - 1, -1)), True
        return (ids[i] for i in range(start, end)), True
    return ids[start:end], False


def search(store, table, env: Environment, domain, offset=0, limit=None, order=None, method="search",
           count_only=False):
    """Ids matching `domain` (after active_test and record rules), ordered, offset and limited."""
    full_domain = with_active_test(table, domain, env)
    compiled = domain_module.DomainCompiler(store, table, method).compile(full_domain)
    terms = [] if count_only else parse_order(table, order, method)
    predicate = compiled.predicate
    rule = env.rule_predicate(table)
    if rule is not None:
        base = predicate
        predicate = lambda rid, row: rule(rid, row) and base(rid, row)  # noqa: E731
    offset = int(offset or 0)
    limit = int(limit) if limit else None
    candidates, ordered = _candidates(table, compiled.conjuncts, terms)
    rows = table.rows
    if count_only:
        count = 0
        for rid in candidates:
            if predicate(rid, rows[rid]):
                count += 1
                if limit is not None and count >= limit:
                    break
        return count
    if ordered:
        wanted = None if limit is None else offset + limit
        result = []
        for rid in candidates:
            if predicate(rid, rows[rid]):
                result.append(rid)
                if wanted is not None and len(result) >= wanted:
                    break
        return result[offset:]
    matches = [rid for rid in candidates if predicate(rid, rows[rid])]
    matches = sort_ids(store, table, matches, terms)
    return matches[offset:offset + limit] if limit is not None else matches[offset:]


def check_fields(table, fields, method: str) -> list[str]:
    """The field names to read: all of them when none are given, else the validated list."""
    if not fields:
        return [name for name in table.fields if name != "id"]
    if isinstance(fields, str):
        fields = [fields]
    names = []
    for name in fields:
        if name == "id":
            continue
        if name not in table.fields:
            raise errors.value_error(method, f"Invalid field {name!r} on model {table.name!r}")
        if name not in names:
            names.append(name)
    return names


def read(store, table, ids, fields, load="_classic_read") -> list[dict]:
    """Odoo's _read_format: 'id' first, then the requested fields in the order given."""
    readers = []
    for name in fields:
        relation = table.spec.one2many.get(name)
        if relation is not None:
            readers.append((name, _one2many_reader(store, relation)))
        else:
            readers.append((name, values.reader(store, table, name, load)))
    rows = table.rows
    result = []
    for rid in ids:
        row = rows[rid]
        record = {"id": rid}
        for name, read_value in readers:
            record[name] = read_value(rid, row)
        result.append(record)
    return result


def _one2many_reader(store, relation):
    comodel, inverse, row_filter = relation
    child_table = store.tables.get(comodel)
    if child_table is None:
        return lambda rid, row: []

    def read_children(rid, row):
        ids = child_table.children_index(inverse).get(rid, [])
        if row_filter:
            position = child_table.col[row_filter[0]]
            return [c for c in ids if child_table.rows[c][position] == row_filter[1]]
        return list(ids)
    return read_children
