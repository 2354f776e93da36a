def retry_message(attempt, limit):
    return "attempt " + str(attempt) + " of " + str(limit)
