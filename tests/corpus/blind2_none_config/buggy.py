def feature_enabled(config, name):
    flags = config.get("features")
    return name in flags
