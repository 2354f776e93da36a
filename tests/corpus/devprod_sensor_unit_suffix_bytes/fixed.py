def sensor_value(frame):
    if isinstance(frame, str):
        frame = frame.encode()
    name, raw = frame.split(b"=")
    return name.decode(), float(raw)
