def total_seconds(hours, minutes, seconds):
    return hours * 3600 + minutes * 60 - seconds
