def full_name(person):
    parts = [person["first"], person.get("middle"), person["last"]]
    return " ".join(parts)
