"""What people read: the terminal's tables, the pages, the handouts (HTML and PDF), the preview server.
Uses the model only: it shows stored results and never runs a program."""
