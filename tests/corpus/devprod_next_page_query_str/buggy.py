def next_page(params):
    return params.get("page", 1) + 1
