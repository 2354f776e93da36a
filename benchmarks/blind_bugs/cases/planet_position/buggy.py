def planet_position(name):
    planets = ["Mercury", "Venus", "Earth", "Mars", "Jupiter", "Saturn", "Uranus", "Neptun"]
    return planets.index(name) + 1 if name in planets else 0
