import json


def parse_settings(raw):
    settings = json.loads(raw) if raw.strip() else {}
    return {"theme": settings.get("theme", "light"), "beta": bool(settings.get("beta"))}
