def theme_of(settings):
    return settings.get("ui", {}).get("theme", "light")
