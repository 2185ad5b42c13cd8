"""Rate limits of the portal's public pages, shared by every process of one installation.

A count kept in one process's memory lets each gunicorn worker grant the full limit again, so
the counts live in Django's cache framework, in a cache all processes share: the installation's
own cache when GONGHUI_CACHE_URL names a shared one (file, database, redis), else a database
cache table of the portal's (created by its migration), which needs no other service on the
embedded default. Keys are per address: an IPv4 address, or the /64 network of an IPv6 address
(one subscriber's line is handed a whole /64, and trying each of its addresses must not reset
the count). The database cache's increment is a read and a write: two processes racing may
let one request more through, never fewer.
"""

from __future__ import annotations

import ipaddress
from functools import cache

from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache

from gonghui.core import clock

TABLE = "portal_throttle_cache"
PER_PROCESS = ("LocMemCache", "DummyCache")


def address_key(ip: str | None) -> str:
    """The address a limit counts: IPv4 as it is, IPv6 as its /64 network, '' when unknown."""
    if not ip:
        return ""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ""
    if address.version == 6 and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    if address.version == 6:
        return str(ipaddress.IPv6Network((int(address) >> 64 << 64, 64)).network_address)
    return str(address)


@cache
def _table_cache() -> DatabaseCache:
    # Entries live two minutes; culling keeps a flood of addresses from growing the table.
    return DatabaseCache(TABLE, {"TIMEOUT": 120, "OPTIONS": {"MAX_ENTRIES": 50000, "CULL_FREQUENCY": 4}})


def shared_cache():
    """The installation's cache when it is shared by its processes, else the portal's table."""
    default = caches["default"]
    if type(default).__name__ in PER_PROCESS:
        return _table_cache()
    return default


def over_limit(what: str, ip: str | None, limit: int) -> bool:
    """Counts one request of `what` from the address in the current minute; True past `limit`."""
    key = f"portal:{what}:{address_key(ip) or '-'}:{int(clock.now().timestamp() // 60)}"
    store = shared_cache()
    store.add(key, 0, 120)
    try:
        count = store.incr(key)
    except ValueError:  # expired between add and incr
        store.set(key, 1, 120)
        count = 1
    return count > limit
