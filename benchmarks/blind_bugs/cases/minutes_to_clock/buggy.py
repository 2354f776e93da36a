def minutes_to_clock(minutes):
    hours, rest = divmod(minutes, 100)
    return f"{hours}:{rest:02d}"
