def cheapest_option(options):
    return min(o["price"] for o in options if o["available"])
