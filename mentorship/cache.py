"""The cache on Redis that a Redis outage never turns into a failed page.

Django's `RedisCache` raises when Redis does not answer. This one answers as Django's dummy
cache does instead - every read a miss, every write dropped, `add()` "stored" - and logs a
warning, at most once a minute per process. So a figure kept in the cache is counted again,
and allauth's rate limits (and its record of used second-factor codes) let everyone through
until Redis is back: they fail open. Short socket timeouts bound what a Redis that does not
answer costs, and after a failure Redis is left alone for a few seconds, so a page makes no
more than one such wait.
"""

import functools
import logging
import time

import redis.exceptions
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

UNREACHABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
# Seconds to wait for Redis to accept a connection and to answer a command: on a healthy
# network it does both in a millisecond.
TIMEOUTS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}


def _not_found(key, *args):
    """What `incr()` of a missing key does."""
    raise ValueError(f"Key '{key}' not found.")


def _degrades(fallback):
    """The client's method answers `fallback(*its arguments)` while Redis is unreachable."""

    def decorate(method):
        @functools.wraps(method)
        def guarded(client, *args):
            if client.resting():
                return fallback(*args)
            try:
                return method(client, *args)
            except UNREACHABLE as error:
                client.failed(error)
                return fallback(*args)

        return guarded

    return decorate


class OutageTolerantClient(RedisCacheClient):
    """Django's Redis client, answering as the dummy cache while Redis does not answer."""

    rest_seconds = 5.0  # after a failure, Redis is not asked again for this long
    warn_seconds = 60.0  # at most one warning this often

    def __init__(self, servers, **options):
        super().__init__(servers, **{**TIMEOUTS, **options})
        self._rest_until = 0.0
        self._warned_at = None

    def resting(self) -> bool:
        return time.monotonic() < self._rest_until

    def failed(self, error: Exception) -> None:
        now = time.monotonic()
        self._rest_until = now + self.rest_seconds
        if self._warned_at is None or now - self._warned_at >= self.warn_seconds:
            self._warned_at = now
            logger.warning(
                "The cache (Redis) does not answer (%s): reads are misses, writes are dropped "
                "and the login rate limits are not applied until it does.",
                error,
            )

    add = _degrades(lambda key, value, timeout: True)(RedisCacheClient.add)
    get = _degrades(lambda key, default: default)(RedisCacheClient.get)
    set = _degrades(lambda key, value, timeout: None)(RedisCacheClient.set)
    touch = _degrades(lambda key, timeout: False)(RedisCacheClient.touch)
    delete = _degrades(lambda key: False)(RedisCacheClient.delete)
    get_many = _degrades(lambda keys: {})(RedisCacheClient.get_many)
    has_key = _degrades(lambda key: False)(RedisCacheClient.has_key)
    incr = _degrades(_not_found)(RedisCacheClient.incr)
    set_many = _degrades(lambda data, timeout: None)(RedisCacheClient.set_many)
    delete_many = _degrades(lambda keys: None)(RedisCacheClient.delete_many)
    clear = _degrades(lambda: False)(RedisCacheClient.clear)


class OutageTolerantRedisCache(RedisCache):
    """`django.core.cache.backends.redis.RedisCache` that degrades instead of raising; its
    OPTIONS may set other socket timeouts."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = OutageTolerantClient
