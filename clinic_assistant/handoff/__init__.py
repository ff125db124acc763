"""Handing a conversation to clinic staff: records, availability, call-backs, staff accounts."""
