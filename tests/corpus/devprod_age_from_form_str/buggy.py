def is_adult(profile):
    return profile["age"] >= 18
