import json


def shipping_city(payload):
    order = json.loads(payload)
    return order["customer"]["address"]["city"].title()
