def latest_id(events):
    if not events:
        return None
    return sorted(events, key=lambda e: e["ts"])[-1]["id"]
