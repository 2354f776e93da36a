"""Oracle of the blind2_matrix_sum_diag case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('blind2',)

FUNCTION = "trace"

def oracle(mod):
    return {"examples": [(([[1, 2], [3, 4]],), 5), (([],), 0), (([[7]],), 7)]}

def fresh(mod):
    return [([[i * 3 + j for j in range(3)] for i in range(3)],), ([[1, 0, 0, 0], [0, 2, 0, 0], [0, 0, 3, 0], [9, 9, 9, 4]],)]
