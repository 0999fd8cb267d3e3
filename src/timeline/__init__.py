"""timeline: dated events and places from news articles, on a linked timeline and map."""

__version__ = "0.1.0"
