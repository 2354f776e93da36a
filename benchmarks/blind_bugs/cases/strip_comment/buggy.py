def strip_comment(line):
    index = line.find("#")
    return line[:index].rstrip()
