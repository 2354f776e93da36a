class UserRepository:
    def __init__(self, rows):
        self.rows = rows

    def find_by_email(self, email):
        for row in self.rows:
            if (row["email"] or "").lower() == email.lower():
                return row["id"]
        return None
