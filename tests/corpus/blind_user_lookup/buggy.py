def display_names(users, ids):
    by_id = {u["id"]: u for u in users}
    return [by_id[i]["name"] for i in ids]
