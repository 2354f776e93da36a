def greeting(user):
    return "Hello, " + user.get("nickname", user["name"]).title()
