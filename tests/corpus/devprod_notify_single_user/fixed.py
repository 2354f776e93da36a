def emails_of(users):
    if isinstance(users, dict):
        users = [users]
    return [u["email"].lower() for u in users]
