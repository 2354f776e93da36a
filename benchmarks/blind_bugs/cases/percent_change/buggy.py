def percent_change(old, new):
    return abs(new - old) / old * 100
