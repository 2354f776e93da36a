import hashlib

def fingerprint(text):
    return hashlib.sha256(text.encode()).hexdigest()[:8]
