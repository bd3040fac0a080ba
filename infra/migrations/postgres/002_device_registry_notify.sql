-- The sync gateway caches device registry lookups; this trigger tells every gateway instance
-- (LISTEN atrium_device_changed, payload = device_id) the moment a device is added, changed or
-- revoked, so a revocation takes effect at once instead of after the cache's TTL.
CREATE FUNCTION atrium.notify_device_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('atrium_device_changed', OLD.device_id);
    RETURN OLD;
  END IF;
  PERFORM pg_notify('atrium_device_changed', NEW.device_id);
  IF TG_OP = 'UPDATE' AND OLD.device_id IS DISTINCT FROM NEW.device_id THEN
    PERFORM pg_notify('atrium_device_changed', OLD.device_id);
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER devices_notify_changed
AFTER INSERT OR UPDATE OR DELETE ON atrium.devices
FOR EACH ROW EXECUTE FUNCTION atrium.notify_device_changed();
