def request_timeout(env):
    timeout = int(env.get("HTTP_TIMEOUT", 30))
    if timeout <= 0:
        return None
    return min(timeout, 300)
