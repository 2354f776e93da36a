def header_lines(payload):
    """Split a raw HTTP header block into lines."""
    return payload.split("\r\n")
