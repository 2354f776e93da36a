def normalize_angle(degrees):
    angle = degrees % 360
    return angle
