def format_percent(ratio):
    return f"{ratio * 100:.0f}%"
