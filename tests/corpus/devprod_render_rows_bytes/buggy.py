def render_rows(rows):
    return "\n".join(rows)
