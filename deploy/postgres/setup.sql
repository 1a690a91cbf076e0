-- The database and its owner, once (as the postgres superuser):
--   sudo -u postgres psql -v password="'CHANGE-ME'" -f deploy/postgres/setup.sql
-- RunRehab creates its tables itself (the first web process or `runrehab worker` to start
-- migrates the schema, and applies the job queue's own), so the role owns the database.
CREATE ROLE runrehab LOGIN PASSWORD :password;
CREATE DATABASE runrehab OWNER runrehab ENCODING 'UTF8' TEMPLATE template0;
