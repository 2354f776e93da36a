def count_tags(events):
    counts = {}
    for event in events:
        for tag in event["tags"]:
            counts[tag] = counts[tag] + 1
    return counts
