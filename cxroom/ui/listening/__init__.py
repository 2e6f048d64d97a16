"""The Listening page's blocks: the file upload and preview, the column mapping of each
kind of file, the import and its report, batches with undo and quarantine, category
mapping, calls and artifacts, and the inbox. Each block takes the store and the acting
user and calls cxroom services/queries; no SQL here."""
