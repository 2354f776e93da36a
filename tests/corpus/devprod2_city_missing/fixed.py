def city_of(address):
    return address.get("city", "").title()
