def list_page(request):
    params = request["query"]
    page = int(params.get("page", 1))
    size = int(params.get("size", 20))
    start = (page - 1) * size
    return {"start": start, "limit": size}
