def format_sku(prefix, number):
    return prefix + "-" + number.zfill(6)
