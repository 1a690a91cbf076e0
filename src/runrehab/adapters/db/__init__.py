"""The journal in a SQL database (SQLite file or PostgreSQL), behind the service ports.

``open_database`` (in ``database``) opens and migrates; ``Database.unit_of_work()`` hands out
the transactions the use cases run in. Submodules are imported by name, so that importing this
package costs nothing.
"""
