def active_users(users):
    return [u["name"] for u in users if u.get("active")]
