def next_greater(xs):
    result = [-1] * len(xs)
    stack = []
    for i, x in enumerate(xs):
        while stack and xs[stack[-1]] < x:
            result[stack.pop()] = x
        stack.append(i)
    return result
