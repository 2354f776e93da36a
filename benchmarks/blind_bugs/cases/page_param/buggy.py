def page_number(params):
    return int(params.get("page", 0))
