def human_size(n):
    for unit in ["B", "KB", "MB", "GB"]:
        if n < 1000:
            return f"{n:.0f} {unit}"
        n /= 1024
    return f"{n:.0f} TB"
