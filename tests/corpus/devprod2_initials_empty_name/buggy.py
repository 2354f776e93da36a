def initials_of(names):
    return "".join(n[0] for n in names)
