def normalize_scores(scores):
    top = max(scores)
    return [round(score / top, 3) for score in scores]
