def normalize_phone(raw):
    digits = "".join(ch for ch in raw if ch.isdigit())
    return "+" + digits
