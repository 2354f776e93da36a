import json


def cache_payload(user_ids):
    ids = list(user_ids)
    return json.dumps({"ids": ids, "count": len(ids)})
