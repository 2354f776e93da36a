def average_rating(reviews):
    scores = [r["stars"] for r in reviews]
    return sum(scores) / len(scores)
