"""Oracle of the devhuman_strip_then_lower case (missing logic): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'missing logic')

FUNCTION = 'normalize_email'


def oracle(mod):
    return {"examples": [
        ((' A@B.com ',), 'a@b.com'),
        (('x@y.io',), 'x@y.io'),
        (('\tQ@Q.q\n',), 'q@q.q'),
    ]}


def fresh(mod):
    return [('',), ('Up@Per.COM ',), (' z@z.z',)]
