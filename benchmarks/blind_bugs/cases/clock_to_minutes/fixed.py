def clock_to_minutes(text):
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)
