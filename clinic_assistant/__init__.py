"""Shared library of the clinic FAQ assistant: content, text signals, NLU components, channels."""
