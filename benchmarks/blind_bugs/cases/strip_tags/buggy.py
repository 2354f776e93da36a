def strip_tags(html):
    out = []
    inside = False
    for ch in html:
        if ch == "<":
            inside = True
        elif ch == ">":
            inside = False
        elif not inside and ch != " ":
            out.append(ch)
    return "".join(out)
