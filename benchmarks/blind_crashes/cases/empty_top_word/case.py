"""Blind crash case empty_top_word: the calls production made, the crash, the held-out inputs."""

FUNCTION = "most_common_word"
SHAPE = "empty"
WELL_KNOWN = False

def seen(m):
    return [("the cat and the hat",), ("Spam spam eggs",)]


def failing(m):
    return [("",)]


def held_out(m):
    return [("   ",), ("one",), ("B b a A a",)]
