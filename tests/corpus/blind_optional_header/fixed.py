def content_type(headers):
    value = headers.get("Content-Type")
    if value is None:
        return None
    return value.split(";")[0].strip().lower()
