def tokenize(expr):
    tokens, number = [], ""
    for ch in expr:
        if ch.isdigit():
            number += ch
        else:
            if number:
                tokens.append(number)
                number = ""
            if ch != " ":
                tokens.append(ch)
    if number:
        tokens.append(number)
    return tokens
