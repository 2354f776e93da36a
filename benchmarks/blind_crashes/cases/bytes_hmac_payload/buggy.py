import hashlib
import hmac


def sign(secret, payload):
    return hmac.new(secret, payload, hashlib.sha256).hexdigest()
