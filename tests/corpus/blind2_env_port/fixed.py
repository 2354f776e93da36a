def port_from(env):
    port = env.get("PORT", 8080)
    return int(port) + 1
