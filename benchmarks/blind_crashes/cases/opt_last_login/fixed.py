def last_seen_label(user):
    last = user.get("last_login")
    if last is None:
        return "never logged in"
    return "last seen " + last.strftime("%Y-%m-%d")
