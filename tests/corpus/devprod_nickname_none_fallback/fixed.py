def greeting(user):
    return "Hello, " + (user.get("nickname") or user["name"]).title()
