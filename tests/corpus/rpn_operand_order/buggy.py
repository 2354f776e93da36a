def rpn(tokens):
    stack = []
    for tok in tokens:
        if tok in ("+", "-", "*"):
            b = stack.pop()
            a = stack.pop()
            if tok == "+":
                stack.append(a + b)
            elif tok == "-":
                stack.append(b - a)
            else:
                stack.append(a * b)
        else:
            stack.append(int(tok))
    return stack[-1]
