def parse_csv_numbers(text):
    return [int(part) for part in text.split(",")]
