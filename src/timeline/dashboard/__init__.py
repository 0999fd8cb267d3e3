"""The local dashboard: a timeline and a map as linked views of the same events."""
