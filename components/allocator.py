"""Keep freed memory for reuse instead of handing it back to the operating system (glibc only).

A weight step allocates a dozen (draws × months) float arrays of about 1.5 MB for the band. glibc's
malloc serves blocks that large with ``mmap`` (or trims them off the heap's top as soon as they are
freed), so every step faults the same pages in again: about 2,300 page faults a step, half of the
engine's time (``python -m benchmarks.bench_engine`` shows both allocators side by side). Raising
the two thresholds with ``mallopt`` makes malloc reuse that memory; the process keeps at most
``trim_mib`` of free memory an arena above what it uses.

How much this keeps: each of malloc's arenas (one per busy thread, at most eight a core) keeps at most
``trim_mib`` free at its top, and in practice what one step allocates at its peak (about 15 MB for the band; 16
MiB of threshold already stops every fault). ``components.ui.data.trim_heap`` still hands all free memory back
once a minute.

Where glibc's ``mallopt`` is not available (macOS, Windows, musl) this does nothing.
"""

from __future__ import annotations

import ctypes
import functools

M_TRIM_THRESHOLD = -1  # glibc's <malloc.h> parameter numbers
M_MMAP_THRESHOLD = -3
MIB = 1 << 20


@functools.cache
def glibc() -> ctypes.CDLL | None:
    """glibc, loaded once; None where the C library is another (macOS, musl, Windows)."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt.argtypes, libc.mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
        libc.malloc_trim.argtypes, libc.malloc_trim.restype = (ctypes.c_size_t,), ctypes.c_int
    except (OSError, AttributeError):
        return None
    return libc


def keep_freed_memory(trim_mib: int = 32, mmap_mib: int = 16) -> bool:
    """Serve blocks up to ``mmap_mib`` from the heap and keep up to ``trim_mib`` free; True if it applied.

    Process-wide, idempotent and cheap (two calls into the C library): the app calls it at the top of every
    full run, the engine benchmark once before it measures.
    """
    libc = glibc()
    if libc is None:
        return False
    return bool(libc.mallopt(M_TRIM_THRESHOLD, trim_mib * MIB)) and bool(libc.mallopt(M_MMAP_THRESHOLD, mmap_mib * MIB))


def give_back() -> bool:
    """Return the heap's free memory to the system (``malloc_trim``); False where glibc is not there."""
    libc = glibc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True
