def minutes(duration):
    """'1:30' -> 90"""
    hours, mins = duration.split(":")
    return int(hours) * 60 + int(mins)
