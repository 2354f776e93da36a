def to_money(amount):
    return f"${amount:.2f}"
