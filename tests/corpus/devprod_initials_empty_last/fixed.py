def initials(person):
    return person["first"][:1].upper() + person["last"][:1].upper()
