"""Blind crash case method_sensor_window: the calls production made, the crash, the held-out inputs."""

FUNCTION = "Sensor.average"
SHAPE = "method"
WELL_KNOWN = False

def seen(m):
    return [(m.Sensor([1.0, 2.0, 3.0]), 2), (m.Sensor([4.0, 8.0]), 1)]


def failing(m):
    return [(m.Sensor([1.0, 2.0, 3.0]),)]


def held_out(m):
    return [(m.Sensor([2.0, 4.0]), None), (m.Sensor([5.0, 1.0, 3.0]), 5), (m.Sensor([10.0]),)]
