def invert_case(text):
    """Upper case becomes lower and lower becomes upper."""
    return text.swapcase()
