def latest_id(events):
    return sorted(events, key=lambda e: e["ts"])[-1]["id"]
