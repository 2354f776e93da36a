def feature_enabled(config, name):
    flags = config.get("features", {})
    return flags.get(name, False).lower() in ("1", "true", "yes", "on")
