def strip_char(text, ch):
    """Remove every occurrence of ch."""
    return text.strip(ch)
