def normalize_scores(scores):
    top = max(scores, default=1)
    return [round(score / top, 3) for score in scores]
