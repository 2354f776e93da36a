import re


def normalize_phone(contact):
    digits = re.sub(r"\D", "", contact.get("phone"))
    if len(digits) == 10:
        digits = "1" + digits
    return "+" + digits
