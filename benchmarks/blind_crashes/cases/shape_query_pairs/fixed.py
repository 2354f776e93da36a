def to_query_string(params):
    pairs = params.items() if isinstance(params, dict) else params
    return "&".join(f"{key}={value}" for key, value in pairs)
