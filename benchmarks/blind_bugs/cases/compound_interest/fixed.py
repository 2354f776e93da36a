def compound(principal, rate, years):
    amount = principal
    for _ in range(years):
        amount *= 1 + rate
    return round(amount, 2)
