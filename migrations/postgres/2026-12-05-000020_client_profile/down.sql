ALTER TABLE clients DROP COLUMN profile;
