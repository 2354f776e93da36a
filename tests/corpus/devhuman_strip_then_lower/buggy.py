def normalize_email(address):
    return address.lower()
