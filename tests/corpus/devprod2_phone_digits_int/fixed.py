def normalize_phone(raw):
    digits = "".join(ch for ch in str(raw) if ch.isdigit())
    return "+" + digits
