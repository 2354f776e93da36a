import re


def normalize_phone(contact):
    phone = contact.get("phone") or ""
    digits = re.sub(r"\D", "", phone)
    if not digits:
        return None
    if len(digits) == 10:
        digits = "1" + digits
    return "+" + digits
