"""Oracle of the devprod_merge_headers_none case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod',)

FUNCTION = 'merge_headers'


def oracle(mod):
    return {"failing": Call(({'Accept': 'text/html'}, None)), "recorded": [Call(({'Accept': '*/*'}, {'X-Id': '7'})), Call(({}, {'A': 'b'}))]}


def fresh(mod):
    return [({'a': '1'}, None), ({}, {}), ({'a': '1'}, {'a': '2'})]
