def domain_of(email):
    at = email.index("@")
    if at == -1:
        return ""
    return email[at + 1:].lower()
