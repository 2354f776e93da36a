"""Oracle of the devprod_render_rows_bytes case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod',)

FUNCTION = 'render_rows'


def oracle(mod):
    return {"failing": Call(([b'head', 'tail'],)), "recorded": [Call((['a', 'b'],)), Call(([],))]}


def fresh(mod):
    return [([b'x'],), (['p', b'q', 'r'],), (['only'],)]
