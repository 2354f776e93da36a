def latest_version(releases):
    ordered = sorted(releases, key=lambda tag: tuple(int(x) for x in tag.split(".")), reverse=True)
    return ordered[0] if ordered else None
