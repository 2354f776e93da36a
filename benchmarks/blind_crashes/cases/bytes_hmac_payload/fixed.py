import hashlib
import hmac


def sign(secret, payload):
    if isinstance(payload, str):
        payload = payload.encode("utf-8")
    return hmac.new(secret, payload, hashlib.sha256).hexdigest()
