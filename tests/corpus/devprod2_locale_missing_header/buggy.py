def user_locale(request):
    return request["headers"]["Accept-Language"].split(",")[0]
