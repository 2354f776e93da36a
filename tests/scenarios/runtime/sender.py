"""A function with a side effect before its bug: it must happen once per call."""

CHANNEL = None  # a socket the test puts here


def notify_and_lookup(table, key):
    CHANNEL.send(b"x")
    return table[key.upper()]
