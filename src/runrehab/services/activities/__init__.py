"""Watch data: importing files (at once or in the background), the runs, the load."""
