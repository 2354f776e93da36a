def busiest_hour(counts_by_hour):
    return max(counts_by_hour, key=counts_by_hour.get)
