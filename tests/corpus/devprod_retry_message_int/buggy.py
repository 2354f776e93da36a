def retry_message(attempt, limit):
    return "attempt " + attempt + " of " + str(limit)
