"""Blind crash case async_job_progress: the calls production made, the crash, the held-out inputs."""

FUNCTION = "job_status"
SHAPE = "async"
WELL_KNOWN = False

JOBS = {
    "a": {"state": "running", "done": 3, "total": 4},
    "b": {"state": "done", "done": 10, "total": 10},
    "c": {"state": "queued", "done": 0, "total": 0},
    "d": {"state": "running", "done": 1, "total": 3},
    "e": {"state": "waiting", "done": 0, "total": 0},
}


def seen(m):
    return [(m.Client(JOBS), "a"), (m.Client(JOBS), "b")]


def failing(m):
    return [(m.Client(JOBS), "c")]


def held_out(m):
    return [(m.Client(JOBS), "d"), (m.Client(JOBS), "e")]
