"""Remember what a weight step recomputes but does not change: results kept by the identity of their input.

The events in use are one pandas frame that stays the same object from run to run until the data change
(the assembly of upload, edits, coding and rescorings returns the same frame when none of them moved). What
the engine derives from that frame without the category weights (where each event falls on the grid, the
per-category sums before their weights, each score's error) is then the same at every weight step, and
:class:`IdentityMemo` keeps it: an entry is used only while its input is alive and *is* that object (a
weak reference checks both), so a new or edited frame is always a miss. Kept values are shared: never
modify one in place.

Frames are not hashable and hashing their contents costs as much as the work saved, hence identity.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class IdentityMemo:
    """At most ``size`` results of ``make()``, each kept for (an object, by identity; a hashable key)."""

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self.hits = self.misses = 0
        self._entries: OrderedDict[tuple[int, Hashable], tuple[weakref.ref, Any]] = OrderedDict()
        self._lock = threading.Lock()  # Streamlit runs each session's script in its own thread

    def get(self, source: object, key: Hashable, make: Callable[[], Any]) -> Any:
        slot = (id(source), key)
        with self._lock:
            entry = self._entries.get(slot)
            if entry is not None and entry[0]() is source:
                self._entries.move_to_end(slot)
                self.hits += 1
                return entry[1]
        value = make()  # outside the lock: two sessions may both compute it, neither waits on the other
        with self._lock:
            self.misses += 1
            self._entries[slot] = (weakref.ref(source), value)
            self._entries.move_to_end(slot)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.hits = self.misses = 0
