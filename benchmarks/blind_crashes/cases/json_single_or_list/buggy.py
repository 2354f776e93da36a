import json


def event_names(body):
    data = json.loads(body)
    return [event["name"] for event in data]
