def total(tree):
    """Sum of the numbers in a nested list; the leaf case reads a missing attribute."""
    if not isinstance(tree, list):
        return tree.value
    return sum(total(child) for child in tree)
