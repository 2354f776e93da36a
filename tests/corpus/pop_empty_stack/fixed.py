def undo_all(stack, steps):
    stack = list(stack)
    for _ in range(steps):
        if stack:
            stack.pop()
    return stack
