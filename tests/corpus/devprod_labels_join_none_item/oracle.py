"""Oracle of the devprod_labels_join_none_item case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod',)

FUNCTION = 'label_text'


def oracle(mod):
    return {"failing": Call((['green', None, 'teal'],)), "recorded": [Call(([' red', 'blue '],)), Call(([],))]}


def fresh(mod):
    return [([None],), (['a', 'b'],), ([None, ' c '],)]
