def describe(name, count):
    label = name + ": " + str(count) + " items"
    return label
