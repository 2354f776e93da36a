def normalize_angle(degrees):
    angle = degrees % 360
    if angle > 180:
        angle -= 360
    return angle
