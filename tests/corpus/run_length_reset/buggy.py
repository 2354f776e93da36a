def run_lengths(s):
    if not s:
        return []
    out = []
    current, count = s[0], 1
    for ch in s[1:]:
        if ch == current:
            count += 1
        else:
            out.append((current, count))
            current, count = ch, 0
    out.append((current, count))
    return out
