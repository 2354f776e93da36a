def domain_of(email):
    at = email.find("@")
    if at == -1:
        return ""
    return email[at + 1:].lower()
