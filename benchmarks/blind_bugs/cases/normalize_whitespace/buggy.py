def normalize_whitespace(text):
    import re

    return re.sub(r"\s+", " ", text).strip().capitalize()
