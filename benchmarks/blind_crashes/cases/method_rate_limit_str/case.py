"""Blind crash case method_rate_limit_str: the calls production made, the crash, the held-out inputs."""

FUNCTION = "RateLimiter.allow"
SHAPE = "method"
WELL_KNOWN = False

def seen(m):
    return [(m.RateLimiter(2), "a", 0), (m.RateLimiter(2, {"a": [0, 10]}), "a", 20), (m.RateLimiter(1, {"a": [0]}), "a", 61)]


def failing(m):
    return [(m.RateLimiter("5"), "a", 0)]


def held_out(m):
    return [(m.RateLimiter("1", {"b": [30]}), "b", 40), (m.RateLimiter("1", {"b": [30]}), "b", 95), (m.RateLimiter("3", {"c": [1, 2]}), "c", 3)]
