def drop_empty(settings):
    for key in list(settings):
        if not settings[key]:
            del settings[key]
    return settings
