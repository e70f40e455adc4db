import numpy as np

class WordEncoder
    def __init__(self, dim, seed=0):
        self.dim = dim
