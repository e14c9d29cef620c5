"""Consultant reports from a conversation: builder, input reader, DOCX/PDF/Markdown writers, phase chart."""
