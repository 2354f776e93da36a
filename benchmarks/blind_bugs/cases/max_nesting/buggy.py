def max_nesting(text):
    depth = 0
    max_depth = 0
    for ch in text:
        if ch == "(":
            depth += 1
            max_depth = max(max_depth, depth)
        elif ch == ")":
            max_depth -= 1
    return max_depth
