def count_digits(n):
    count = 0
    while n > 9:
        n //= 10
        count += 1
    return count
