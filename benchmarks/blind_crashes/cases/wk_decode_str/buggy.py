def parse_line(data):
    return data.decode("utf-8").strip()
