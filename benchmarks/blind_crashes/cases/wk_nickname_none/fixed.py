def display_name(user):
    return (user["nickname"] or "").strip() or user["name"]
