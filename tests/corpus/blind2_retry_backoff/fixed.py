def backoff_delays(retries, base):
    delays = []
    for attempt in range(retries):
        delays.append(base * 2 ** attempt)
    return delays
