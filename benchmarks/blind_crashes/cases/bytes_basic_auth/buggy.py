import base64


def basic_auth_user(header):
    scheme, _, encoded = header.partition(" ")
    decoded = base64.b64decode(encoded).decode("utf-8")
    return decoded.split(":", 1)[0]
