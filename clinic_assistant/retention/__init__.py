"""Retention and erasure of conversations and their handoff records (docs/security.md)."""
