def ever_overdrawn(movements):
    balance = 0
    for amount in movements:
        balance += amount
        if balance < 0:
            return True
    return False
