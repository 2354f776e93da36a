def count_nodes(node):
    return 1 + sum(count_nodes(child) for child in node["children"])
