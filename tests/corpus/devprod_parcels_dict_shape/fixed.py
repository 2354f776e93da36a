def total_weight(parcels):
    if isinstance(parcels, dict):
        parcels = parcels.items()
    return sum(weight for _, weight in parcels)
