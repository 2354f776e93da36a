"""Blind crash case method_session_expired: the calls production made, the crash, the held-out inputs."""

FUNCTION = "SessionStore.user_for"
SHAPE = "method"
WELL_KNOWN = False

SESSIONS = {"t1": {"user": "ann", "expires": 100}, "t2": {"user": "bo", "expires": 10}}


def seen(m):
    return [(m.SessionStore(SESSIONS), "t1", 50), (m.SessionStore(SESSIONS), "t2", 50)]


def failing(m):
    return [(m.SessionStore(SESSIONS), "forged", 50)]


def held_out(m):
    return [(m.SessionStore(SESSIONS), "", 0), (m.SessionStore(SESSIONS), "t1", 99), (m.SessionStore({}), "t1", 1)]
