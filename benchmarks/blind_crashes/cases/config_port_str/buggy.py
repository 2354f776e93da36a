def listen_address(settings):
    host = settings.get("host", "0.0.0.0")
    port = settings["port"]
    if not 0 < port < 65536:
        raise ValueError(f"bad port {port}")
    return f"{host}:{port}"
