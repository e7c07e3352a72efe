"""The in-memory database: one table per model, rows as lists, indexes on id and write_date.

Stored values are kept in their database form: datetimes as integer microseconds since 1970
(PostgreSQL precision), dates as ISO strings, many2one as an id or None, x2many as id tuples,
NULL as None. Numeric columns are never NULL (Odoo writes 0). All access goes through
`Store.lock`; a request holds it for the duration of one method call, like one transaction.
"""
import bisect
import sys
import threading

NUMERIC = {"integer": 0, "float": 0.0, "monetary": 0.0}
X2MANY = ("one2many", "many2many")
AUDIT_COLUMNS = ("create_date", "write_date", "create_uid", "write_uid")


def empty_value(field_type: str):
    if field_type in NUMERIC:
        return NUMERIC[field_type]
    if field_type == "boolean":
        return False
    if field_type in X2MANY:
        return ()
    return None


class Table:
    """One model's rows. `columns` are the materialised fields; other fields read as empty values."""

    def __init__(self, spec, fields: dict):
        self.spec = spec
        self.name = spec.name
        self.fields = fields
        self.types = {name: attrs.get("type") for name, attrs in fields.items()}
        self.columns: list[str] = []
        self.col: dict[str, int] = {}
        self.rows: dict[int, list] = {}
        self.next_id = 1
        self.version = 0
        self._sorted_ids: list[int] = []
        self._ids_dirty = False
        self._wd_index: list[tuple[int, int]] = []
        self._wd_dirty = False
        for name in AUDIT_COLUMNS + tuple(spec.columns):
            self.ensure_column(name)
        self.wd = self.col["write_date"]

    # -- columns -------------------------------------------------------------------------------
    def ensure_column(self, name: str) -> int:
        index = self.col.get(name)
        if index is None:
            index = len(self.columns)
            self.columns.append(name)
            self.col[name] = index
            default = empty_value(self.types.get(name, "char"))
            for row in self.rows.values():
                row.append(default)
        return index

    def stored(self, name: str) -> bool:
        attrs = self.fields.get(name)
        return bool(attrs and attrs.get("store")) or name == "id"

    # -- row access ----------------------------------------------------------------------------
    def get(self, rid: int, name: str):
        """The internal value of any field of an existing row (materialised, computed or empty)."""
        if name == "id":
            return rid
        index = self.col.get(name)
        if index is not None:
            return self.rows[rid][index]
        computed = self.spec.computed.get(name)
        if computed is not None:
            return computed.getter(self.store, rid, self.rows[rid])
        return empty_value(self.types.get(name, "char"))

    def getter(self, name: str):
        """A fast `(rid, row) -> value` accessor for one field."""
        if name == "id":
            return lambda rid, row: rid
        index = self.col.get(name)
        if index is not None:
            return lambda rid, row: row[index]
        computed = self.spec.computed.get(name)
        if computed is not None:
            store, fn = self.store, computed.getter
            return lambda rid, row: fn(store, rid, row)
        default = empty_value(self.types.get(name, "char"))
        return lambda rid, row: default

    # -- mutations (callers hold Store.lock) ---------------------------------------------------
    def insert(self, rid: int, values: dict):
        for name in values:
            if name not in self.col:
                self.ensure_column(name)
        row = [empty_value(self.types.get(name, "char")) for name in self.columns]
        col = self.col
        for name, value in values.items():
            row[col[name]] = value
        self.rows[rid] = row
        self.next_id = max(self.next_id, rid + 1)
        self._index_add(rid, row[self.wd])

    def bulk_insert(self, records: list[tuple[int, dict]]):
        """Seeding path: many rows at once, indexes rebuilt lazily afterwards."""
        for _, values in records[:1]:
            for name in values:
                if name not in self.col:
                    self.ensure_column(name)
        template = [empty_value(self.types.get(name, "char")) for name in self.columns]
        col, rows = self.col, self.rows
        for rid, values in records:
            row = template.copy()
            for name, value in values.items():
                index = col.get(name)
                if index is None:
                    index = self.ensure_column(name)
                    template.append(empty_value(self.types.get(name, "char")))
                    row.append(template[-1])
                row[index] = value
            rows[rid] = row
            if rid >= self.next_id:
                self.next_id = rid + 1
        self.mark_bulk_change()

    def update(self, rid: int, values: dict):
        row = self.rows[rid]
        old_wd = row[self.wd]
        for name, value in values.items():
            index = self.col.get(name)
            if index is None:
                index = self.ensure_column(name)
            row[index] = value
        if row[self.wd] != old_wd:
            self._index_move(rid, old_wd, row[self.wd])
        self.version += 1

    def delete(self, rid: int):
        row = self.rows.pop(rid)
        self._index_remove(rid, row[self.wd])

    def allocate_id(self) -> int:
        rid = self.next_id
        self.next_id += 1
        return rid

    # -- indexes -------------------------------------------------------------------------------
    def _index_add(self, rid, wd):
        self.version += 1
        if not self._ids_dirty:
            if not self._sorted_ids or rid > self._sorted_ids[-1]:
                self._sorted_ids.append(rid)
            else:
                self._ids_dirty = True
        if not self._wd_dirty:
            key = (wd, rid)
            if not self._wd_index or key > self._wd_index[-1]:
                self._wd_index.append(key)
            else:
                self._wd_dirty = True

    def _index_move(self, rid, old, new):
        if self._wd_dirty:
            return
        position = bisect.bisect_left(self._wd_index, (old, rid))
        if position < len(self._wd_index) and self._wd_index[position] == (old, rid):
            del self._wd_index[position]
            bisect.insort(self._wd_index, (new, rid))
        else:
            self._wd_dirty = True

    def _index_remove(self, rid, wd):
        self.version += 1
        self._ids_dirty = True
        if not self._wd_dirty:
            position = bisect.bisect_left(self._wd_index, (wd, rid))
            if position < len(self._wd_index) and self._wd_index[position] == (wd, rid):
                del self._wd_index[position]
            else:
                self._wd_dirty = True

    def mark_bulk_change(self):
        """After many writes: rebuilding once beats many sorted-list edits."""
        self._wd_dirty = True
        self._ids_dirty = True
        self.version += 1

    def sorted_ids(self) -> list[int]:
        if self._ids_dirty:
            self._sorted_ids = sorted(self.rows)
            self._ids_dirty = False
        return self._sorted_ids

    def write_date_index(self) -> list[tuple[int, int]]:
        if self._wd_dirty:
            wd = self.wd
            self._wd_index = sorted((row[wd], rid) for rid, row in self.rows.items())
            self._wd_dirty = False
        return self._wd_index

    def ids_in_write_date_range(self, low=None, low_inclusive=True, high=None, high_inclusive=True):
        """Ids ordered by (write_date, id) whose write_date lies in the given bounds."""
        index = self.write_date_index()
        start, end = 0, len(index)
        if low is not None:
            start = bisect.bisect_left(index, (low, -1)) if low_inclusive else bisect.bisect_right(index, (low, sys.maxsize))
        if high is not None:
            end = bisect.bisect_right(index, (high, sys.maxsize)) if high_inclusive else bisect.bisect_left(index, (high, -1))
        return index, start, max(start, end)

    def ids_in_id_range(self, low=None, low_inclusive=True, high=None, high_inclusive=True):
        ids = self.sorted_ids()
        start, end = 0, len(ids)
        if low is not None:
            start = bisect.bisect_left(ids, low) if low_inclusive else bisect.bisect_right(ids, low)
        if high is not None:
            end = bisect.bisect_right(ids, high) if high_inclusive else bisect.bisect_left(ids, high)
        return ids, start, max(start, end)

    # -- one2many ------------------------------------------------------------------------------
    def children_index(self, inverse: str) -> dict[int, list[int]]:
        """parent id -> child ids (ascending) for the many2one `inverse` of this table."""
        cache = self.__dict__.setdefault("_children", {})
        cached = cache.get(inverse)
        if cached is not None and cached[0] == self.version:
            return cached[1]
        index: dict[int, list[int]] = {}
        position = self.col.get(inverse)
        if position is not None:
            for rid in self.sorted_ids():
                parent = self.rows[rid][position]
                if parent is not None:
                    index.setdefault(parent, []).append(rid)
        cache[inverse] = (self.version, index)
        return index


class Store:
    """All tables, the reference catalogues, the clock and the lock that serialises transactions."""

    def __init__(self, clock, odoo_version: int):
        self.lock = threading.RLock()
        self.clock = clock
        self.odoo_version = odoo_version
        self.tables: dict[str, Table] = {}
        # display names of models the simulator references but does not serve (products, journals...)
        self.catalog: dict[str, dict[int, str]] = {}
        self.user_names = {1: "OdooBot", 2: "Mitchell Admin"}

    def add_table(self, spec, fields: dict) -> Table:
        table = Table(spec, fields)
        table.store = self
        self.tables[spec.name] = table
        return table

    def table(self, name: str) -> Table | None:
        return self.tables.get(name)

    def exists(self, model: str, rid: int) -> bool:
        table = self.tables.get(model)
        if table is not None:
            return rid in table.rows
        names = self.catalog.get(model)
        return names is None or rid in names

    def display_name(self, model: str, rid: int) -> str:
        table = self.tables.get(model)
        if table is not None:
            if rid not in table.rows:
                return ""
            return table.spec.display_name(self, rid, table.rows[rid])
        names = self.catalog.get(model)
        if names is not None and rid in names:
            return names[rid]
        return f"{model},{rid}"
