def feature_enabled(config, name):
    flags = config.get("features") or []
    return name in flags
