def final_score(player):
    return int(player["score"]) + int(player.get("bonus", 0))
