def average_rating(reviews):
    scores = [r["stars"] for r in reviews if r["stars"] is not None]
    return sum(scores) / len(scores)
