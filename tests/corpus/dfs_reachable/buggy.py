def reachable(graph, start):
    seen = set()
    stack = [start]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        for nbr in graph.get(node, []):
            if nbr in seen:
                stack.append(nbr)
    return seen
