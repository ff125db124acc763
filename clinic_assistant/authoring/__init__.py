"""Tools for clinic staff: add a FAQ topic, or more example questions, in the project's files."""
