def feature_enabled(config, name):
    flags = config.get("features", {})
    value = flags.get(name, False)
    if isinstance(value, bool):
        return value
    return str(value).lower() in ("1", "true", "yes", "on")
