"""Renderers: the only place that prints. Each takes core results and a stream."""
