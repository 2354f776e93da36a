def bearer_token(headers):
    auth = headers.get("Authorization")
    scheme, _, token = auth.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip()
