def average_rating(reviews):
    ratings = [r["stars"] for r in reviews if r.get("stars") is not None]
    return sum(ratings) / len(ratings)
