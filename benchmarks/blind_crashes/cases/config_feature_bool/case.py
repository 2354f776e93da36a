"""Blind crash case config_feature_bool: the calls production made, the crash, the held-out inputs."""

FUNCTION = "feature_enabled"
SHAPE = "config"
WELL_KNOWN = False

def seen(m):
    return [({"features": {"beta": "yes"}}, "beta"), ({"features": {"beta": "off", "x": "1"}}, "beta")]


def failing(m):
    return [({"features": {"beta": True}}, "beta")]


def held_out(m):
    return [
        ({}, "beta"),
        ({"features": {"dark": False}}, "dark"),
        ({"features": {"dark": "ON"}}, "dark"),
        ({"features": {"dark": 1}}, "dark"),
        ({"features": {"dark": "no"}}, "dark"),
    ]
