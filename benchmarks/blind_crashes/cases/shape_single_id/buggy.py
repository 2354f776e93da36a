def user_names(ids, users):
    return [users[user_id]["name"] for user_id in ids]
