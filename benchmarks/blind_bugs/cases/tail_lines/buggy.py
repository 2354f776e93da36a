def tail(lines, n):
    if n <= 0 or n > len(lines):
        return []
    return lines[-n:]
