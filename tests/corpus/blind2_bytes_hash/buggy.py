import hashlib

def fingerprint(text):
    return hashlib.sha256(text).hexdigest()[:8]
