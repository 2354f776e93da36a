def display_name(user):
    return user["nickname"].strip() or user["name"]
