"""The numeric core: pure numpy, state in, state out. No Mesa, Hydra or I/O."""
