from datetime import date


def age_on(birthday, today):
    if isinstance(birthday, str):
        birthday = date.fromisoformat(birthday)
    years = today.year - birthday.year
    if (today.month, today.day) < (birthday.month, birthday.day):
        years -= 1
    return years
