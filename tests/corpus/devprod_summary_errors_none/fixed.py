def summary_line(report):
    return f"{report['title']} ({len(report['errors'] or [])} errors)"
