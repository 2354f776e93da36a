def is_gas_giant(name):
    return name in ("Jupiter", "Saturn")
