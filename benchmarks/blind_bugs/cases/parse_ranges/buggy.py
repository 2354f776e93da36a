def parse_ranges(text):
    result = []
    for part in text.split(","):
        if "-" in part:
            start, end = part.split("-")
            result.extend(range(int(start), int(start) + 1))
        else:
            result.append(int(part))
    return result
