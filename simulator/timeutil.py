"""Timestamps as PostgreSQL stores them (microseconds) and as Odoo sends them (whole seconds)."""
import re
import threading
import time
from datetime import date, datetime, timedelta, timezone

EPOCH = datetime(1970, 1, 1)
SECOND = 1_000_000
DAY = 86_400 * SECOND

_DATETIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?$")


def to_micros(value: datetime) -> int:
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    delta = value - EPOCH
    return (delta.days * 86_400 + delta.seconds) * SECOND + delta.microseconds


def from_micros(micros: int) -> datetime:
    return EPOCH + timedelta(microseconds=micros)


_wire_cache: dict[int, str] = {}


def wire_datetime(micros: int) -> str:
    """`YYYY-MM-DD HH:MM:SS`: Odoo drops the fraction when it sends a datetime."""
    second = micros // SECOND
    text = _wire_cache.get(second)
    if text is None:
        text = from_micros(second * SECOND).strftime("%Y-%m-%d %H:%M:%S")
        if len(_wire_cache) > 200_000:
            _wire_cache.clear()
        _wire_cache[second] = text
    return text


def full_datetime(micros: int) -> str:
    """`YYYY-MM-DD HH:MM:SS.ffffff`, the stored value, for the control API."""
    return from_micros(micros).strftime("%Y-%m-%d %H:%M:%S.%f")


def parse_datetime(text: str) -> int | None:
    """Parses what PostgreSQL accepts for a naive timestamp (date only means midnight)."""
    match = _DATETIME.match(text.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, fraction = match.groups()
    try:
        value = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0),
                         int((fraction or "0").ljust(6, "0")))
    except ValueError:
        return None
    return to_micros(value)


def parse_date(text: str) -> str | None:
    match = _DATETIME.match(text.strip())
    if not match:
        return None
    year, month, day = match.groups()[:3]
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def date_of(micros: int) -> str:
    return from_micros(micros).date().isoformat()


class Clock:
    """The database's `now()`: wall-clock UTC (optionally shifted) or a manual clock tests drive.

    A manual clock stays put until moved, except that each writing transaction moves it on by
    `step` microseconds afterwards (step 0: consecutive transactions share one instant).
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._offset = 0
        self._manual: int | None = None
        self._step = 0

    def now(self) -> int:
        with self._lock:
            if self._manual is None:
                return time.time_ns() // 1000 + self._offset
            return self._manual

    def tick(self):
        """Called after a writing transaction."""
        with self._lock:
            if self._manual is not None:
                self._manual += self._step

    def set_manual(self, micros: int, step: int = 0):
        with self._lock:
            self._manual, self._step = micros, step

    def set_real(self, offset: int = 0):
        with self._lock:
            self._manual, self._offset, self._step = None, offset, 0

    def advance(self, micros: int):
        with self._lock:
            if self._manual is None:
                self._offset += micros
            else:
                self._manual += micros

    def describe(self) -> dict:
        now = self.now()
        with self._lock:
            mode = "real" if self._manual is None else "manual"
            return {"mode": mode, "now": full_datetime(now), "offset_us": self._offset, "step_us": self._step}
