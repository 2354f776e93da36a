"""Blind crash case config_yaml_list: the calls production made, the crash, the held-out inputs."""

FUNCTION = "worker_queues"
SHAPE = "config"
WELL_KNOWN = False

def seen(m):
    return [({},), ({"queues": "mail, billing"},)]


def failing(m):
    return [({"queues": ["mail", "reports"]},)]


def held_out(m):
    return [({"queues": ["a", " b ", ""]},), ({"queues": "x,,y"},), ({"queues": []},), ({"queues": ("t",)},)]
