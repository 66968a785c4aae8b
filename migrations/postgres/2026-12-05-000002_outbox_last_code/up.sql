-- The relay's reply code of a mail's last failed attempt (451, 550), if it replied: a 5xx is final
-- only when the attempt before it got a 5xx too, so the code of that attempt must be kept.
ALTER TABLE outbox ADD COLUMN last_code INTEGER;
