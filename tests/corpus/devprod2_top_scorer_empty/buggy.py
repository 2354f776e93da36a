def top_scorer(scores):
    return max(scores.items(), key=lambda kv: kv[1])[0]
