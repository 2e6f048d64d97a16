"""One import pass per kind of listening file (complaints, KPIs, surveys).

Each pass is handed the open transaction, the staged file and the resolved mapping by
cxroom.services.imports, runs its staging SQL through that transaction's execute
chokepoint and fills the report; it never opens a transaction or checks a permission.
"""
