def final_score(player):
    return player["score"] + player.get("bonus", 0)
