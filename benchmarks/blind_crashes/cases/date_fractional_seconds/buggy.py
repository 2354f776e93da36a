from datetime import datetime


def parse_created_at(value):
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S")
