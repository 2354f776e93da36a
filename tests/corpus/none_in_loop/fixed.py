def emails(users):
    out = []
    for user in users:
        if user is None:
            continue
        out.append(user.email.lower())
    return out
