def column(rows, name):
    header = rows[0].split(',')
    index = header.index(name)
    return [row[index] for row in rows[1:]]
