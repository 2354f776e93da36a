from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    name: str
    unit_price: float
    quantity: int


def total(items, discount=0.0):
    subtotal = 0.0
    for item in items:
        subtotal += item.price * item.quantity
    return round(subtotal * (1 - discount), 2)
