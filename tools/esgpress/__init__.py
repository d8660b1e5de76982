"""esgpress: one data set and one Chinese source into three editions of an ESG report."""

__version__ = "0.1.0"
