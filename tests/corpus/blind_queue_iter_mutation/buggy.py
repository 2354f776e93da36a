def expire(sessions, now):
    for sid, expires in sessions.items():
        if expires < now:
            del sessions[sid]
    return sorted(sessions)
