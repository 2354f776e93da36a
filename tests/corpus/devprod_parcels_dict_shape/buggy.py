def total_weight(parcels):
    return sum(weight for _, weight in parcels)
