def to_cents(amount):
    return int(round(float(amount) * 100))
