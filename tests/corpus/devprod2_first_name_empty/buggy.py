def first_name(full):
    return full.split()[0]
