def letter_grade(score):
    if score >= 90:
        return "A"
    if score >= 80:
        return "B"
    if score >= 75:
        return "C"
    if score >= 60:
        return "D"
    return "F"
