"""Speed-ups for the Rasa server process (tracker store, action-server replies)."""
