def last_seen_label(user):
    last = user.get("last_login")
    return "last seen " + last.strftime("%Y-%m-%d")
