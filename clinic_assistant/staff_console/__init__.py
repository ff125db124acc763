"""The staff console: a small web app where clinic staff take over chats and see call-backs."""
