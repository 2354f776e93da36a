"""Blind crash case method_repo_email_none: the calls production made, the crash, the held-out inputs."""

FUNCTION = "UserRepository.find_by_email"
SHAPE = "method"
WELL_KNOWN = False

ROWS = [{"id": 1, "email": "Ann@x.com"}, {"id": 2, "email": None}, {"id": 3, "email": "bo@y.org"}]


def seen(m):
    return [(m.UserRepository(ROWS), "ANN@X.COM"), (m.UserRepository(ROWS[:1]), "zed@x.com")]


def failing(m):
    return [(m.UserRepository(ROWS), "bo@y.org")]


def held_out(m):
    return [(m.UserRepository(ROWS), "nobody@z.z"), (m.UserRepository(ROWS[1:]), "BO@Y.ORG"), (m.UserRepository([]), "a@b.c")]
