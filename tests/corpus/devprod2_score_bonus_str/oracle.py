"""Oracle of the devprod2_score_bonus_str case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod', 'validation')

FUNCTION = 'final_score'


def oracle(mod):
    return {"failing": Call(({'score': '7', 'bonus': 2},)), "recorded": [Call(({'score': 10, 'bonus': 5},)), Call(({'score': 3},))]}


def fresh(mod):
    return [({'score': '1'},), ({'score': 4, 'bonus': '6'},), ({'score': 0},)]
