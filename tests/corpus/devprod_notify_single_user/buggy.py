def emails_of(users):
    return [u["email"].lower() for u in users]
