-- A tenant's own FAQ ids ("hours") name FAQs in replies and imports, so each is used once per tenant.
-- NULLs stay distinct: FAQs without an external id do not collide.
CREATE UNIQUE INDEX faqs_tenant_external_id ON faqs (tenant_id, external_id);
