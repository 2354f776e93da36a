class Sensor:
    def __init__(self, readings):
        self.readings = list(readings)

    def average(self, last=None):
        values = self.readings[-last:] if last else self.readings
        return sum(values) / len(values)
