def retries(config):
    return (config.get("http") or {}).get("retries", 3)
