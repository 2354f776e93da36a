def adults(ages):
    """ages come from a form: strings of digits."""
    return [a for a in ages if a >= 18]
