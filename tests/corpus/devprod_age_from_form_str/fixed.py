def is_adult(profile):
    return int(profile["age"]) >= 18
