def label_text(labels):
    return ", ".join(label.strip() for label in labels if label is not None)
