"""Ancrage: microlearning that anchors in daily work."""
