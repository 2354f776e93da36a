"""Oracle of the devhuman_join_separator case (value misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'value misuse')

FUNCTION = 'as_path'


def oracle(mod):
    return {"examples": [
        ((['a', 'b'],), 'a/b'),
        ((['/x/', 'y'],), 'x/y'),
        (([],), ''),
    ]}


def fresh(mod):
    return [(['one'],), (['p', 'q', 'r'],), (['/', 'z'],)]
