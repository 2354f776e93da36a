def compound(principal, rate, years):
    return round(principal * (1 + rate) ** years, 2)
