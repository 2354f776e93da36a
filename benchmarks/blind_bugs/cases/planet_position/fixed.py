def planet_position(name):
    planets = ["Mercury", "Venus", "Earth", "Mars", "Jupiter", "Saturn", "Uranus", "Neptune"]
    return planets.index(name) + 1 if name in planets else 0
