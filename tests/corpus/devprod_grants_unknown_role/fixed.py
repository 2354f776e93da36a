def permissions_for(role, grants):
    result = set()
    for perm in grants.get(role, []):
        result.add(perm)
    return sorted(result)
