def minutes_to_clock(minutes):
    hours, rest = divmod(minutes, 60)
    return f"{hours}:{rest:02d}"
