def file_extension(filename):
    if "." not in filename:
        return ""
    return filename.split(".", 1)[1].lower()
