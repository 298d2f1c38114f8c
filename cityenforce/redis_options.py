"""Connection options for Redis (channel layer and cache): fail fast while Redis is away, recover by themselves when it returns."""


def channel_layer_host(address: str) -> dict:
    """A channels_redis host entry (its keys go to redis.asyncio's connection pool).

    A pooled connection that Redis closed during an outage fails on its next use; retrying that
    use once on a new connection (``retry_on_error``) lets the first WebSocket after Redis returns
    connect, instead of each stale connection failing one more consumer. Connects time out after
    a second, so a send during the outage fails at once and is logged. No read timeout: channels_redis
    blocks in BRPOP, and a socket timeout there left a closing consumer's loop hanging.
    """
    from redis.asyncio.retry import Retry
    from redis.backoff import ExponentialBackoff
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    return {
        "address": address,
        "socket_connect_timeout": 1,
        "health_check_interval": 15,
        "retry": Retry(ExponentialBackoff(cap=0.2, base=0.02), 2),
        "retry_on_error": [RedisConnectionError, RedisTimeoutError],
    }


def cache_options() -> dict:
    """OPTIONS of Django's RedisCache: short timeouts, and a stale connection retried once on a new one."""
    from redis.backoff import ExponentialBackoff
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError
    from redis.retry import Retry

    return {
        "socket_connect_timeout": 1,
        "socket_timeout": 2,
        "health_check_interval": 15,
        "retry": Retry(ExponentialBackoff(cap=0.2, base=0.02), 2),
        "retry_on_error": [RedisConnectionError, RedisTimeoutError],
    }
