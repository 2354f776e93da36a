def allowed_hosts(env):
    raw = env.get("ALLOWED_HOSTS")
    hosts = [host.strip() for host in raw.split(",")]
    return [host for host in hosts if host]
