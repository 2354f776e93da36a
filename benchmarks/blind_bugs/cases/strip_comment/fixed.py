def strip_comment(line):
    index = line.find("#")
    if index == -1:
        return line.rstrip()
    return line[:index].rstrip()
