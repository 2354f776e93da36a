"""Oracle of the devprod2_tags_already_list case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod', 'validation')

FUNCTION = 'tag_set'


def oracle(mod):
    return {"failing": Call(({'tags': ['Sport', 'tech ']},)), "recorded": [Call(({'tags': 'News, tech'},)), Call(({'tags': 'a'},))]}


def fresh(mod):
    return [({'tags': ['X']},), ({'tags': 'p,Q'},), ({'tags': []},)]
