def normalize_email(address):
    return address.strip().lower()
