def initials_of(names):
    return "".join(n[:1] for n in names)
