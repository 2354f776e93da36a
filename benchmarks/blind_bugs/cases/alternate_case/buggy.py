def alternate_case(text):
    return "".join(ch.upper() if i % 2 == 0 else ch.swapcase() for i, ch in enumerate(text))
