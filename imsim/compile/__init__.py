"""From configs to arrays: the world, the month-by-month parameters and month 0."""
