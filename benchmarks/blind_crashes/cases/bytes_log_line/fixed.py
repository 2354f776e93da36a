def log_line(level, message):
    if isinstance(message, str):
        message = message.encode("utf-8")
    return b"[" + level.upper() + b"] " + message + b"\n"
