def parse_setting(line):
    key, value = line.split("=")
    return key.strip(), value.strip()
