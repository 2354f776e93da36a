def timeout_ms(config):
    return config.timeout * 1000
