ALTER TABLE incidents DROP COLUMN other_supervisors;
