def emails(users):
    out = []
    for user in users:
        out.append(user.email.lower())
    return out
