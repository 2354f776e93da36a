def parse_numbers(line):
    return [int(x) for x in line.split(",")]
