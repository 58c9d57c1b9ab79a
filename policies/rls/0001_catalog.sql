-- Shared FODMAP food catalog: reference data, not user data.
-- RLS is enabled (not forced, so the owner's migrations can maintain it) with a
-- read-only policy: even if a write privilege were granted by mistake, no
-- policy would let any non-owner role insert, update or delete a row.
CREATE POLICY catalog_read ON bia.catalog_food
    FOR SELECT TO PUBLIC
    USING (true);
