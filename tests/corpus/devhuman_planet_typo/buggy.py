def is_gas_giant(name):
    return name in ("Jupyter", "Saturn")
