def parse_log_line(line):
    if isinstance(line, bytes):
        line = line.decode("utf-8")
    level, _, message = line.partition(": ")
    return {"level": level.strip(), "message": message.strip()}
