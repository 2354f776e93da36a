def last_word(text):
    words = text.split()
    return words[len(words)]


def spin(x):
    return x


def unit_price(total, count):
    return round(total / count, 2)
