"""The custom actions the action server loads (rasa_sdk --actions actions)."""
