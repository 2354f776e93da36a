def next_page(params):
    return int(params.get("page", 1)) + 1
