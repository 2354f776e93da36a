"""Oracle of the devhuman_palindrome_clean case (missing logic): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'missing logic')

FUNCTION = 'is_palindrome'


def oracle(mod):
    return {"examples": [
        (('Anna',), True),
        (('abc',), False),
        (('Was it a car or a cat I saw',), True),
    ]}


def fresh(mod):
    return [('',), ('No lemon, no melon',), ('ab',)]
