"""The shipped word lists, as package data (`redact.wordlists`; see README.md beside this file)."""
