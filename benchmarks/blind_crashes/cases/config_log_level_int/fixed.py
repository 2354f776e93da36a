import logging


def log_level(config):
    level = config.get("log_level", "info")
    if isinstance(level, int):
        return level
    return getattr(logging, level.upper())
