def to_query(params):
    return "&".join(f"{k}={v}" for k, v in dict(params).items())
