"""The room's set-up as one file: export it, check it, apply it (CLI, set-up page)."""
