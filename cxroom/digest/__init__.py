"""The monthly digest e-mail: for each owner and leader their open actions, overdue fixes,
unusual rises and the month's wins (``content``), written as text and HTML (``mail``) and
sent over SMTP or written to .eml files (``send``)."""
