def every_other(items):
    return items[::2]
