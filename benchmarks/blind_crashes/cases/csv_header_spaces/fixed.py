import csv
import io


def prices_by_sku(text):
    reader = csv.DictReader(io.StringIO(text), skipinitialspace=True)
    return {row["sku"]: float(row["price"]) for row in reader}
