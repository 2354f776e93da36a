"""Blind crash case web_signup_checkbox: the calls production made, the crash, the held-out inputs."""

FUNCTION = "parse_signup_form"
SHAPE = "web"
WELL_KNOWN = False

def seen(m):
    return [
        ({"email": " a@b.co ", "newsletter": "on", "age": "30"},),
        ({"email": "x@y.z", "newsletter": "on"},),
    ]


def failing(m):
    return [({"email": "quiet@example.com", "age": "41"},)]


def held_out(m):
    return [
        ({"email": "q@w.e"},),
        ({"email": "r@t.y", "age": ""},),
        ({"email": "s@u.v", "newsletter": "on", "age": "5"},),
    ]
