def pairwise_sums(numbers):
    """Sum each adjacent pair; an odd last element is kept alone."""
    result = []
    for i in range(0, len(numbers) - 1, 2):
        result.append(numbers[i] + numbers[i + 1])
    return result
