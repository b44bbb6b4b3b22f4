"""Domain rules: value lists, profiles, clocks, RAG and ages. Imports nothing of the project."""
