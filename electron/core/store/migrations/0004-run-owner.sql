-- Which process runs a check run. A process starting beside a live one (`xet runs list` while the app
-- runs checks on the same data folder) must not take that run for one left behind by a crash.
ALTER TABLE runs ADD COLUMN owner_pid INTEGER;
ALTER TABLE runs ADD COLUMN owner_instance TEXT;
