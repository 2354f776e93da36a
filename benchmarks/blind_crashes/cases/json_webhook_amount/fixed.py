def describe_charge(event):
    kind = event["type"]
    charge = event["data"]["object"]
    amount = (charge["amount"] or 0) / 100
    return f"{kind}: {amount:.2f} {charge['currency'].upper()}"
