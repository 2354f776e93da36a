class RateLimiter:
    def __init__(self, limit, hits=None):
        self.limit = limit
        self.hits = dict(hits or {})

    def allow(self, client, now):
        window = [t for t in self.hits.get(client, []) if now - t < 60]
        if len(window) >= int(self.limit):
            return False
        window.append(now)
        self.hits[client] = window
        return True
