def sensor_value(frame):
    name, raw = frame.split(b"=")
    return name.decode(), float(raw)
