def log_line(level, message):
    return b"[" + level.upper() + b"] " + message + b"\n"
