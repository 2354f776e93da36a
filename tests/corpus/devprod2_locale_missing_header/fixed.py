def user_locale(request):
    return request["headers"].get("Accept-Language", "en").split(",")[0]
