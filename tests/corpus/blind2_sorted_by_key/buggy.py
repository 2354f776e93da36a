def top_scorers(scores, n):
    """scores: {name: points}"""
    ranked = sorted(scores, key=lambda name: scores[name], reverse=True)
    return ranked[:n]
