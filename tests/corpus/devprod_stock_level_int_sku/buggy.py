def stock_level(levels, sku):
    return levels[sku]
