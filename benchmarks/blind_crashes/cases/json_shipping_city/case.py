"""Blind crash case json_shipping_city: the calls production made, the crash, the held-out inputs."""

FUNCTION = "shipping_city"
SHAPE = "json"
WELL_KNOWN = False

def seen(m):
    return [('{"customer": {"address": {"city": "paris"}}}',), ('{"customer": {"address": {"city": "SAN JOSE", "zip": "95110"}}}',)]


def failing(m):
    return [('{"customer": {"address": null}}',)]


def held_out(m):
    return [
        ('{"customer": {}}',),
        ('{"customer": {"address": {"city": null}}}',),
        ('{"customer": {"address": {"city": "new york"}}}',),
        ('{"customer": {"address": {}}}',),
    ]
