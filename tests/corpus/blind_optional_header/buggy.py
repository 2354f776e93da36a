def content_type(headers):
    value = headers.get("Content-Type")
    return value.split(";")[0].strip().lower()
