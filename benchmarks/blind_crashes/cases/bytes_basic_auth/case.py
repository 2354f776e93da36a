"""Blind crash case bytes_basic_auth: the calls production made, the crash, the held-out inputs."""

FUNCTION = "basic_auth_user"
SHAPE = "bytes"
WELL_KNOWN = False

def seen(m):
    return [("Basic dXNlcjpwdw==",), ("Basic YWRtaW46c2VjcmV0",)]


def failing(m):
    return [(b"Basic dXNlcjpwdw==",)]


def held_out(m):
    return [(b"Basic Ym9iOmh1bnRlcjI=",), ("Basic Ym9iOmh1bnRlcjI=",), (b"Basic YTpiOmM=",)]
