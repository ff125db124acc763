"""The report of what patients asked that the assistant could not answer (python -m ...)."""
