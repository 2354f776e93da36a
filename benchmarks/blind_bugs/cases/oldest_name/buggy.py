def oldest_name(people):
    oldest = max(people, key=lambda person: person["name"])
    return oldest["name"]
