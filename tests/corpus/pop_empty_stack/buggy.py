def undo_all(stack, steps):
    stack = list(stack)
    for _ in range(steps):
        stack.pop()
    return stack
