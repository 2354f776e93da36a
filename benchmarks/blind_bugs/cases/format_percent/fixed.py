def format_percent(ratio):
    return f"{ratio * 100:.1f}%"
