from datetime import datetime, timezone


def token_expired(token, now):
    expires = datetime.fromisoformat(token["expires_at"])
    return expires <= now
