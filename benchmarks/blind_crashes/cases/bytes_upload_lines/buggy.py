def count_lines(upload):
    text = upload["content"]
    return len([line for line in text.split("\n") if line.strip()])
