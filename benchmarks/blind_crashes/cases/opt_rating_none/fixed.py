def average_rating(reviews):
    ratings = [review["stars"] for review in reviews if review["stars"] is not None]
    return round(sum(ratings) / len(ratings), 1)
