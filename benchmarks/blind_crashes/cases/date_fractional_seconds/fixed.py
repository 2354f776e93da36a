from datetime import datetime


def parse_created_at(value):
    value = value.split(".")[0]
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S")
