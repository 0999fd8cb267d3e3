"""Extraction: sentences, dates, places and events from one article's text."""
