def initials(person):
    return person["first"][0].upper() + person["last"][0].upper()
