def display_name(user):
    return user["profile"].get("display") or user["login"]
