def average_rating(reviews):
    ratings = [review["stars"] for review in reviews]
    return round(sum(ratings) / len(ratings), 1)
