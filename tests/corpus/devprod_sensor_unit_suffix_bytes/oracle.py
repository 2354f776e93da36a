"""Oracle of the devprod_sensor_unit_suffix_bytes case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod',)

FUNCTION = 'sensor_value'


def oracle(mod):
    return {"failing": Call(('wind=3.5',)), "recorded": [Call((b'temp=21.5',)), Call((b'hum=40',))]}


def fresh(mod):
    return [('a=1',), (b'b=2.25',), ('x=-4',)]
