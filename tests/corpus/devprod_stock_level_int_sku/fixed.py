def stock_level(levels, sku):
    return levels[str(sku)]
