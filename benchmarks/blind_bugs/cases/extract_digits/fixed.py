def extract_digits(text):
    return "".join(ch for ch in text if ch.isdigit())
