"""jixiao: budget-performance evaluations of Chinese government departments -> a warehouse."""

__version__ = "0.1.0"
