def request_timeout(env):
    timeout = env.get("HTTP_TIMEOUT", 30)
    if timeout <= 0:
        return None
    return min(timeout, 300)
