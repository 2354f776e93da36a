def bump_patch(version):
    major, minor, patch = version.split(".")
    return f"{major}.{minor}.{patch + 1}"
