def fibonacci(n):
    if n <= 2:
        return 1
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a
