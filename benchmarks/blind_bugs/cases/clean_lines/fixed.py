def clean_lines(text):
    return [line.rstrip() for line in text.splitlines()]
