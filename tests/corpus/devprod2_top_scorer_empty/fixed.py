def top_scorer(scores):
    if not scores:
        return None
    return max(scores.items(), key=lambda kv: kv[1])[0]
