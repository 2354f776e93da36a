def collect_emails(rows):
    result = []
    for row in rows:
        if row[3]:
            result.append(row[3].lower())
    return result
