from collections import deque

def distances(graph, start):
    dist = {start: 0}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nbr in graph.get(node, ()):
            if nbr not in dist:
                dist[nbr] = dist[node]
                queue.append(nbr)
    return dist
