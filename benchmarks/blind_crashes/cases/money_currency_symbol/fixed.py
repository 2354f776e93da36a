def format_price(cents, currency):
    symbol = {"USD": "$", "EUR": "\u20ac", "GBP": "\u00a3"}.get(currency, currency + " ")
    return f"{symbol}{cents / 100:,.2f}"
