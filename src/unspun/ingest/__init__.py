"""Ingest: turn a path, URL, HTML or plain text into a Document (text, metadata, removed ranges)."""
