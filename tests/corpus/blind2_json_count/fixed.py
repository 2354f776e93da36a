def count_tags(events):
    counts = {}
    for event in events:
        for tag in event["tags"]:
            counts[tag] = counts.get(tag, 0) + 1
    return counts
