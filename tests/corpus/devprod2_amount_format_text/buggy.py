def format_amount(amount):
    return "{:,.2f}".format(amount)
