"""recallkit: release and autograde the "Simulating Attention in Memory" assignment."""

__version__ = "0.1.0"
