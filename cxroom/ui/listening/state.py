"""The Listening page's session-state keys and the kinds of file it imports, shared by
its blocks (the view reads the report key and the kind labels too)."""

from __future__ import annotations

from cxroom import evidence_kinds

FILE_KEY = "listening_file"  # {"name", "path", "sha256", "size"}: the file being imported
REPORT_KEY = "listening_report"
PREVIEW_KEY = "listening_preview"  # (what the preview was read for, FilePreview)
ENCODING_QUESTION = "listening_encoding_question"  # (sha256, [(encoding, first line read with it)])
# The kinds a file can be uploaded as: the registry's importable kinds, in its order.
KIND_LABELS = {kind.key: kind.file_label or kind.label for kind in evidence_kinds.importable()}
