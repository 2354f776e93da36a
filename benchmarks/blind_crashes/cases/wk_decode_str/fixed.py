def parse_line(data):
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    return text.strip()
