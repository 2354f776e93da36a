"""Blind crash case web_create_user_body: the calls production made, the crash, the held-out inputs."""

FUNCTION = "create_user"
SHAPE = "web"
WELL_KNOWN = False

def seen(m):
    return [
        ({"json": {"email": "Ann@Example.com ", "name": "Ann"}},),
        ({"json": {"email": "bo@example.com"}},),
    ]


def failing(m):
    return [({"json": None},)]


def examples(m):
    return [(({"json": {"email": "c@d.io", "name": ""}},), {"status": 201, "email": "c@d.io", "name": "c"})]


def held_out(m):
    return [
        ({},),
        ({"json": {"name": "nobody"}},),
        ({"json": {"email": "X@Y.Z"}},),
    ]
