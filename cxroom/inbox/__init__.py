"""The inbox: folders beside the running room that other processes drop files into.

DuckDB lets one process write the room's file, and that process is the app's. A
cron job, an SFTP drop or the CLI run beside the app therefore hands its work over
as files; the app's own worker thread (cxroom.inbox.worker) imports them one at a
time through the same services the Listening page uses, and answers with a JSON
report in done/ or failed/.
"""
