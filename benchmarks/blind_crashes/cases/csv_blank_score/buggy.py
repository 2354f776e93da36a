def average_score(rows):
    scores = [float(row[2]) for row in rows[1:]]
    return sum(scores) / len(scores)
