def render_rows(rows):
    return "\n".join(r.decode() if isinstance(r, bytes) else r for r in rows)
