"""Serving the chat widget and a demo clinic page."""
