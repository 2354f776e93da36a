USERS = {1: {"name": "Ann"}, 2: {"name": "Bo"}}


async def lookup(user_id):
    return USERS.get(user_id)


async def display_for(user_id):
    user = await lookup(user_id)
    return user["name"].upper()
