"""Oracle of the devprod_csv_row_numbers case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod',)

FUNCTION = 'csv_row'


def oracle(mod):
    return {"failing": Call((['id', 7, 2.5],)), "recorded": [Call((['a', 'b'],)), Call(([],))]}


def fresh(mod):
    return [([1, 2],), (['x'],), ([True, 'y'],)]
