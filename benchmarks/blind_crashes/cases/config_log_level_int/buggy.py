import logging


def log_level(config):
    level = config.get("log_level", "info")
    return getattr(logging, level.upper())
