def user_names(ids, users):
    if isinstance(ids, int):
        ids = [ids]
    return [users[user_id]["name"] for user_id in ids]
