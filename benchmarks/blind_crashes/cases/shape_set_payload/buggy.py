import json


def cache_payload(user_ids):
    return json.dumps({"ids": user_ids, "count": len(user_ids)})
