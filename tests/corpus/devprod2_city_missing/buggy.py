def city_of(address):
    return address["city"].title()
