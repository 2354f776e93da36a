"""Blind crash case json_webhook_amount: the calls production made, the crash, the held-out inputs."""

FUNCTION = "describe_charge"
SHAPE = "json"
WELL_KNOWN = False

def event(kind, amount, currency):
    return {"type": kind, "data": {"object": {"amount": amount, "currency": currency}}}


def seen(m):
    return [(event("charge.succeeded", 1250, "eur"),), (event("charge.refunded", 99, "usd"),)]


def failing(m):
    return [(event("charge.pending", None, "usd"),)]


def held_out(m):
    return [(event("charge.failed", None, "gbp"),), (event("charge.succeeded", 0, "eur"),), (event("x", 100001, "jpy"),)]
