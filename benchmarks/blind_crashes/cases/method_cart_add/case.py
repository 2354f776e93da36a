"""Blind crash case method_cart_add: the calls production made, the crash, the held-out inputs."""

FUNCTION = "Cart.add"
SHAPE = "method"
WELL_KNOWN = False

def seen(m):
    return [(m.Cart({"a": (2.0, 1)}), "a", 2.0), (m.Cart({"a": (2.0, 1), "b": (1.0, 4)}), "b", 1.0, 3)]


def failing(m):
    return [(m.Cart(), "c", 5.0)]


def held_out(m):
    return [(m.Cart({"a": (2.0, 1)}), "z", 1.0, 2), (m.Cart(), "x", 3.0), (m.Cart({"k": (1.0, 9)}), "k", 1.0, 1)]
