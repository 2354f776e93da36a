def oldest_name(people):
    oldest = max(people, key=lambda person: person["age"])
    return oldest["name"]
