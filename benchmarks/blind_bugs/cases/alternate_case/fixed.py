def alternate_case(text):
    return "".join(ch.upper() if i % 2 == 0 else ch.lower() for i, ch in enumerate(text))
