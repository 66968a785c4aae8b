-- The client's profile (AP form 3.1.1a–e, 3.1.2, 3.2.1, 3.2.2; lead supervisory authority; the
-- languages of its data subjects) as one JSON object, read and checked by
-- domain::directory::ClientProfile::parse. NULL: no profile yet (lead authority NL, data subjects
-- in the client's language).
ALTER TABLE clients ADD COLUMN profile TEXT;
