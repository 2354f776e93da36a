def display_name(user):
    return user["profile"]["display"] or user["login"]
