class Account:
    def __init__(self, owner):
        self.owner = owner

def owner_initials(account):
    return "".join(part[0] for part in account.owner.split())
