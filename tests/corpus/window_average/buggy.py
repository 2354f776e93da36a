def moving_average(xs, k):
    return [sum(xs[i:i + k - 1]) / k for i in range(len(xs) - k + 1)]
