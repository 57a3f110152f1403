"""Documents: a validated form becomes a plain ``Document`` (context.py), which the DOCX and
PDF renderers draw."""
