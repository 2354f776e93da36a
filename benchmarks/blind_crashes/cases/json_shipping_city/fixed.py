import json


def shipping_city(payload):
    order = json.loads(payload)
    address = order["customer"].get("address") or {}
    city = address.get("city") or ""
    return city.title()
