-- Erasures reach the CRM too (cloud-services/src/integrations): the CRM forwarder deletes every member
-- ref of an erased email hash at the CRM and then stamps crm_erased_at. member_erasures is the outbox:
-- a row with crm_erased_at NULL is an erasure the CRM has not been told of yet; a repeated erasure
-- sets it back to NULL, so it is told again.
ALTER TABLE atrium.member_erasures ADD COLUMN crm_erased_at timestamptz;
CREATE INDEX member_erasures_crm_pending_idx ON atrium.member_erasures (erased_at) WHERE crm_erased_at IS NULL;
