import json


def total_quantity(body):
    items = json.loads(body)["items"]
    return sum(item["qty"] for item in items)
