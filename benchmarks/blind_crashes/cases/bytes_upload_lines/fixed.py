def count_lines(upload):
    text = upload["content"]
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    return len([line for line in text.split("\n") if line.strip()])
