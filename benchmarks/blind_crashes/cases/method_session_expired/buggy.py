class SessionStore:
    def __init__(self, sessions):
        self.sessions = sessions

    def user_for(self, token, now):
        session = self.sessions.get(token)
        if session["expires"] < now:
            return None
        return session["user"]
