def merge_headers(defaults, extra):
    merged = dict(defaults)
    merged.update(extra)
    return merged
