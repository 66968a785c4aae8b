ALTER TABLE outbox RESET (toast_tuple_target);
CREATE INDEX outbox_alert_idx ON outbox (alert_id);
ALTER TABLE outbox ADD CONSTRAINT outbox_alert_id_fkey FOREIGN KEY (alert_id) REFERENCES alerts (id);
ALTER TABLE outbox ADD CONSTRAINT outbox_incident_id_fkey FOREIGN KEY (incident_id) REFERENCES incidents (id);
