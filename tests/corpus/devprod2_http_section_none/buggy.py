def retries(config):
    return config.get("http", {}).get("retries", 3)
