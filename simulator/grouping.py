"""read_group as Odoo 18's public API answers it (capture read_group_hr_expense).

Each group carries its groupby values (many2one as [id, name], dates as labels such as
'April 2026'), a count (`__count`, or `<field>_count` when lazy with one groupby), the aggregates
under their field names, `__domain`, and for dates `__range`. Sums of monetary and float
columns are computed in decimal like PostgreSQL's numeric and sent as doubles.
"""
import re
from datetime import date, timedelta
from decimal import Decimal

import errors
import query
import timeutil
import values

_GROUPBY_SPEC = re.compile(r"(\w+)(\.(\w+))?(?::(\w+))?$")
_FIELD_AGG = re.compile(r"(\w+)(?::(\w+)(?:\((\w+)\))?)?")
_GRANULARITIES = ("day", "week", "month", "quarter", "year")
_AGGREGATORS = ("sum", "avg", "max", "min", "count", "count_distinct", "bool_and", "bool_or", "array_agg",
                "array_agg_distinct")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def _period(value: date, granularity: str) -> tuple[date, date]:
    if granularity == "day":
        return value, value + timedelta(days=1)
    if granularity == "week":
        start = value - timedelta(days=value.weekday())
        return start, start + timedelta(days=7)
    if granularity == "month":
        start = value.replace(day=1)
    elif granularity == "quarter":
        start = value.replace(month=(value.month - 1) // 3 * 3 + 1, day=1)
    else:
        start = value.replace(month=1, day=1)
    months = {"month": 1, "quarter": 3, "year": 12}[granularity]
    month_index = start.month - 1 + months
    return start, start.replace(year=start.year + month_index // 12, month=month_index % 12 + 1)


def _label(start: date, granularity: str) -> str:
    if granularity == "day":
        return f"{start.day:02d} {_MONTHS[start.month - 1][:3]} {start.year}"
    if granularity == "week":
        year, week, _ = start.isocalendar()
        return f"W{week} {year}"
    if granularity == "month":
        return f"{_MONTHS[start.month - 1]} {start.year}"
    if granularity == "quarter":
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    return str(start.year)


def _and(domain: list, extra: list) -> list:
    """expression.AND of two normalised domains: an empty domain (TRUE) drops out."""
    if not domain:
        return list(extra)
    if not extra:
        return list(domain)
    return ["&"] + list(domain) + list(extra)


def _normalized(domain) -> list:
    items = [tuple(t) if isinstance(t, (list, tuple)) else t for t in (domain or [])]
    result, expected = [], 1
    for token in items:
        if expected == 0:
            result[0:0] = ["&"]
            expected = 1
        expected += -1 if isinstance(token, tuple) else {"!": 1, "&": 2, "|": 2}.get(token, 0) - 1
        result.append(token)
    return result


def read_group(store, table, env, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
    method = "read_group"
    groupby = [groupby] if isinstance(groupby, str) else list(groupby or [])
    lazy_groupby = groupby[:1] if lazy else groupby
    specs = []  # (key in result, field name, granularity)
    for spec in lazy_groupby:
        match = _GROUPBY_SPEC.match(spec) if isinstance(spec, str) else None
        if not match:
            raise errors.value_error(method, f"Invalid groupby specification {spec!r}.")
        name, _, _, granularity = match.groups()
        if name not in table.fields:
            raise errors.value_error(method, f"Invalid field {name!r} on model {table.name!r}")
        if not table.stored(name):
            raise errors.value_error(method, f"Field {table.name}.{name} is not a stored field, "
                                             "only stored fields (regular or many2many) are valid for the "
                                             "'groupby' parameter")
        field_type = table.types[name]
        if field_type in ("many2many", "one2many"):
            raise errors.value_error(method, f"the Odoo simulator does not group by x2many fields such as "
                                             f"{table.name}.{name}")
        if field_type in ("date", "datetime"):
            granularity = granularity or "month"
            if granularity not in _GRANULARITIES:
                raise errors.value_error(method, f"Invalid granularity {granularity!r} for {table.name}.{name}")
        else:
            granularity = None
        specs.append((spec, name, granularity))

    count_key = f"{lazy_groupby[0].split(':')[0]}_count" if lazy and len(lazy_groupby) == 1 else "__count"
    aggregates = []  # (key in result, field, function)
    grouped_names = {name for _, name, _ in specs}
    for spec in fields or []:
        if spec == "__count":
            continue
        match = _FIELD_AGG.fullmatch(spec) if isinstance(spec, str) else None
        if not match:
            raise errors.value_error(method, f"Invalid field specification {spec!r}.")
        key, function, source = match.groups()
        name = source or key
        if name not in table.fields:
            raise errors.value_error(method, f"Invalid field {name!r} on model {table.name!r}")
        field_type = table.types[name]
        if function is None:
            if field_type not in ("integer", "float", "monetary") or name in grouped_names or name == "id":
                continue
            if not table.stored(name):
                continue
            function = "sum"
        elif function not in _AGGREGATORS:
            raise errors.value_error(method, f"Invalid aggregation function {function!r}.")
        if not table.stored(name):
            raise errors.value_error(method, f"Cannot aggregate non-stored field {table.name}.{name}")
        aggregates.append((key, name, function))

    ids = query.search(store, table, env, domain, method=method, order="id")
    rows = table.rows
    getters = [table.getter(name) for _, name, _ in specs]
    groups: dict[tuple, list[int]] = {}
    for rid in ids:
        row = rows[rid]
        key = []
        for (_, name, granularity), get in zip(specs, getters):
            value = get(rid, row)
            if granularity is not None and value is not None:
                if table.types[name] == "datetime":
                    value = timeutil.from_micros(value).date()
                else:
                    value = date.fromisoformat(value)
                value = _period(value, granularity)[0]
            key.append(value)
        groups.setdefault(tuple(key), []).append(rid)

    base_domain = _normalized(domain)
    results = []
    for key, members in groups.items():
        record = {}
        extra_domains = []
        ranges = {}
        for (result_key, name, granularity), value in zip(specs, key):
            field_type = table.types[name]
            if granularity is not None:
                if value is None:
                    record[result_key] = False
                    ranges[result_key] = False
                    extra_domains.append([(name, "=", False)])
                    continue
                start, end = _period(value, granularity)
                fmt = (lambda d: f"{d.isoformat()} 00:00:00") if field_type == "datetime" else (lambda d: d.isoformat())
                record[result_key] = _label(start, granularity)
                ranges[result_key] = {"from": fmt(start), "to": fmt(end)}
                extra_domains.append(["&", (name, ">=", fmt(start)), (name, "<", fmt(end))])
            elif field_type == "many2one":
                if value is None:
                    record[result_key] = False
                else:
                    record[result_key] = [value, store.display_name(table.fields[name]["relation"], value)]
                extra_domains.append([(name, "=", value if value is not None else False)])
            else:
                record[result_key] = False if value is None else value
                extra_domains.append([(name, "=", False if value is None else value)])
        record[count_key] = len(members)
        for result_key, name, function in aggregates:
            record[result_key] = _aggregate(table, name, function, members)
        group_domain = base_domain
        for extra in extra_domains:
            group_domain = _and(group_domain, extra)
        record["__domain"] = group_domain
        if lazy and len(groupby) > 1:
            record["__context"] = {"group_by": groupby[1:]}
        if ranges:
            record["__range"] = ranges
        record["_sort_key"] = key
        results.append(record)

    results = _order_groups(store, table, results, specs, aggregates, count_key, orderby)
    offset = int(offset or 0)
    results = results[offset:offset + int(limit)] if limit else results[offset:]
    for record in results:
        del record["_sort_key"]
    return results


def _aggregate(table, name, function, members):
    get = table.getter(name)
    rows = table.rows
    field_type = table.types[name]
    raw = [get(rid, rows[rid]) for rid in members]
    present = [v for v in raw if v is not None]
    if function in ("sum", "avg"):
        if field_type in ("float", "monetary"):
            total = sum((Decimal(repr(v)) for v in present), Decimal(0))
            if function == "avg":
                return float(total / len(present)) if present else False
            return float(total)
        total = sum(present)
        return total / len(present) if function == "avg" and present else total
    if function in ("min", "max"):
        if not present:
            return False
        result = min(present) if function == "min" else max(present)
        if field_type == "datetime":
            return timeutil.wire_datetime(result)
        if field_type == "integer" and result > values.MAXINT:
            return float(result)
        return result
    if function == "count":
        return len(present)
    if function == "count_distinct":
        return len(set(present))
    if function == "bool_and":
        return all(bool(v) for v in raw)
    if function == "bool_or":
        return any(bool(v) for v in raw)
    distinct = function == "array_agg_distinct"
    return sorted(set(present)) if distinct else present


def _order_groups(store, table, results, specs, aggregates, count_key, orderby):
    """Groups come back in the order of the groupby fields unless `orderby` says otherwise."""
    positions = {result_key: i for i, (result_key, _, _) in enumerate(specs)}
    names = {name: i for i, (_, name, _) in enumerate(specs)}
    terms = []
    if orderby:
        for part in str(orderby).split(","):
            words = part.split()
            if not words:
                continue
            terms.append((words[0], len(words) > 1 and words[1].lower() == "desc"))
    else:
        terms = [(result_key, False) for result_key, _, _ in specs]
    for term, descending in reversed(terms):
        position = positions.get(term, names.get(term))
        if position is not None:
            _, name, _ = specs[position]
            ranks = None
            if table.types[name] == "many2one":
                ranks = query._many2one_ranks(store, table.fields[name]["relation"])

            def key(record, position=position, ranks=ranks):
                value = record["_sort_key"][position]
                if value is None:
                    return (1, 0)
                return (0, ranks.get(value, value) if ranks is not None else value)
        elif term in (count_key, "__count") or any(term == k for k, _, _ in aggregates):
            field_key = count_key if term == "__count" else term

            def key(record, field_key=field_key):
                value = record.get(field_key)
                return (1, 0) if value is False or value is None else (0, value)
        else:
            raise errors.value_error("read_group", f"Invalid field {term!r} on model {table.name!r}")
        results.sort(key=key, reverse=descending)
    return results
