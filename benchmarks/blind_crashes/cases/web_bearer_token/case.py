"""Blind crash case web_bearer_token: the calls production made, the crash, the held-out inputs."""

FUNCTION = "bearer_token"
SHAPE = "web"
WELL_KNOWN = False

def seen(m):
    return [({"Authorization": "Bearer abc123"},), ({"Authorization": "Basic dXNlcjpwdw=="},)]


def failing(m):
    return [({"Accept": "application/json"},)]


def held_out(m):
    return [
        ({},),
        ({"Authorization": "bearer  tok-9 "},),
        ({"Authorization": ""},),
        ({"Authorization": "Bearer x.y.z", "Accept": "*/*"},),
    ]
