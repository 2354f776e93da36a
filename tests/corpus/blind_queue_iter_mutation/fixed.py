def expire(sessions, now):
    for sid, expires in list(sessions.items()):
        if expires < now:
            del sessions[sid]
    return sorted(sessions)
