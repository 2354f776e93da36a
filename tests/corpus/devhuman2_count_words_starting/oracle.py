"""Oracle of the devhuman2_count_words_starting case (function misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'function misuse', 'validation')

FUNCTION = 'count_prefixed'


def oracle(mod):
    return {"examples": [
        ((['apple', 'apex', 'bee'], 'ap'), 2),
        (([], 'a'), 0),
        ((['xa', 'ax'], 'a'), 1),
    ]}


def fresh(mod):
    return [(['pre', 'post'], 'p'), (['no'], 'yes'), (['ab', 'ba', 'aa'], 'a')]
