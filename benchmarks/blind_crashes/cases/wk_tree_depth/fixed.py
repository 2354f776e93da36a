def depth(tree):
    if not isinstance(tree, list):
        return 0
    return 1 + max((depth(child) for child in tree), default=0)
