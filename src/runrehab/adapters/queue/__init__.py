"""Where background jobs run (``services.jobs.JobQueue``): ``threads`` in the web process
itself (SQLite, one process), ``postgres`` in a queue in PostgreSQL that ``runrehab worker``
runs (any number of web processes and workers, on any number of hosts); ``watch_scan`` finds
and measures an upload's files for the import jobs a worker runs."""
