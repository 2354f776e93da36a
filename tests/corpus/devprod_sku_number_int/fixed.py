def format_sku(prefix, number):
    return prefix + "-" + str(number).zfill(6)
