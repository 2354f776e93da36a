def describe(name, count):
    label = name + ": " + count + " items"
    return label
