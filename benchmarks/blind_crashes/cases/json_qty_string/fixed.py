import json


def total_quantity(body):
    items = json.loads(body)["items"]
    return sum(int(item["qty"]) for item in items)
