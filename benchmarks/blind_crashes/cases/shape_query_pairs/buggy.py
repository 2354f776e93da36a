def to_query_string(params):
    return "&".join(f"{key}={value}" for key, value in params.items())
