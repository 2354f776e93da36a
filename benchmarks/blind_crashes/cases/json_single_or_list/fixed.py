import json


def event_names(body):
    data = json.loads(body)
    if isinstance(data, dict):
        data = [data]
    return [event["name"] for event in data]
