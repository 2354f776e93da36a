def parse_log_line(line):
    level, _, message = line.decode("utf-8").partition(": ")
    return {"level": level.strip(), "message": message.strip()}
