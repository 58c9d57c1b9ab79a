-- Row Level Security for the journal: one user's rows are invisible and
-- untouchable for every other user. Applied by migration 0002.
--
-- ENABLE + FORCE: FORCE makes the table owner (bia_owner) subject to the
-- policies too; the app role (bia_app) owns nothing and has no BYPASSRLS.
-- The user is a transaction-local setting (set_config('bia.user_id', $1, true),
-- see app/db/session.py). Unset, current_setting(..., true) is NULL or '' and
-- NULLIF makes both NULL, so `user_id = NULL` matches nothing: an unset user
-- sees and writes nothing. The scalar subquery is evaluated once per query
-- (an InitPlan), not per row, so the user_id indexes are used.
--
-- owner_aggregates lets bia_owner (and so SECURITY DEFINER functions it owns,
-- such as bia.usage_counts) read across users. It grants nothing the owner
-- could not take anyway (it may ALTER its tables), and no one else gets it.

ALTER TABLE bia.user_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE bia.user_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY user_isolation ON bia.user_settings
    FOR ALL TO PUBLIC
    USING (user_id = (SELECT NULLIF(current_setting('bia.user_id', true), '')::uuid))
    WITH CHECK (user_id = (SELECT NULLIF(current_setting('bia.user_id', true), '')::uuid));
CREATE POLICY owner_aggregates ON bia.user_settings
    FOR SELECT TO bia_owner
    USING (true);

ALTER TABLE bia.user_food ENABLE ROW LEVEL SECURITY;
ALTER TABLE bia.user_food FORCE ROW LEVEL SECURITY;
CREATE POLICY user_isolation ON bia.user_food
    FOR ALL TO PUBLIC
    USING (user_id = (SELECT NULLIF(current_setting('bia.user_id', true), '')::uuid))
    WITH CHECK (user_id = (SELECT NULLIF(current_setting('bia.user_id', true), '')::uuid));
CREATE POLICY owner_aggregates ON bia.user_food
    FOR SELECT TO bia_owner
    USING (true);

ALTER TABLE bia.meal ENABLE ROW LEVEL SECURITY;
ALTER TABLE bia.meal FORCE ROW LEVEL SECURITY;
CREATE POLICY user_isolation ON bia.meal
    FOR ALL TO PUBLIC
    USING (user_id = (SELECT NULLIF(current_setting('bia.user_id', true), '')::uuid))
    WITH CHECK (user_id = (SELECT NULLIF(current_setting('bia.user_id', true), '')::uuid));
CREATE POLICY owner_aggregates ON bia.meal
    FOR SELECT TO bia_owner
    USING (true);

ALTER TABLE bia.meal_item ENABLE ROW LEVEL SECURITY;
ALTER TABLE bia.meal_item FORCE ROW LEVEL SECURITY;
CREATE POLICY user_isolation ON bia.meal_item
    FOR ALL TO PUBLIC
    USING (user_id = (SELECT NULLIF(current_setting('bia.user_id', true), '')::uuid))
    WITH CHECK (user_id = (SELECT NULLIF(current_setting('bia.user_id', true), '')::uuid));
CREATE POLICY owner_aggregates ON bia.meal_item
    FOR SELECT TO bia_owner
    USING (true);

ALTER TABLE bia.symptom_type ENABLE ROW LEVEL SECURITY;
ALTER TABLE bia.symptom_type FORCE ROW LEVEL SECURITY;
CREATE POLICY user_isolation ON bia.symptom_type
    FOR ALL TO PUBLIC
    USING (user_id = (SELECT NULLIF(current_setting('bia.user_id', true), '')::uuid))
    WITH CHECK (user_id = (SELECT NULLIF(current_setting('bia.user_id', true), '')::uuid));
CREATE POLICY owner_aggregates ON bia.symptom_type
    FOR SELECT TO bia_owner
    USING (true);

ALTER TABLE bia.symptom ENABLE ROW LEVEL SECURITY;
ALTER TABLE bia.symptom FORCE ROW LEVEL SECURITY;
CREATE POLICY user_isolation ON bia.symptom
    FOR ALL TO PUBLIC
    USING (user_id = (SELECT NULLIF(current_setting('bia.user_id', true), '')::uuid))
    WITH CHECK (user_id = (SELECT NULLIF(current_setting('bia.user_id', true), '')::uuid));
CREATE POLICY owner_aggregates ON bia.symptom
    FOR SELECT TO bia_owner
    USING (true);

ALTER TABLE bia.bowel_movement ENABLE ROW LEVEL SECURITY;
ALTER TABLE bia.bowel_movement FORCE ROW LEVEL SECURITY;
CREATE POLICY user_isolation ON bia.bowel_movement
    FOR ALL TO PUBLIC
    USING (user_id = (SELECT NULLIF(current_setting('bia.user_id', true), '')::uuid))
    WITH CHECK (user_id = (SELECT NULLIF(current_setting('bia.user_id', true), '')::uuid));
CREATE POLICY owner_aggregates ON bia.bowel_movement
    FOR SELECT TO bia_owner
    USING (true);

ALTER TABLE bia.medication ENABLE ROW LEVEL SECURITY;
ALTER TABLE bia.medication FORCE ROW LEVEL SECURITY;
CREATE POLICY user_isolation ON bia.medication
    FOR ALL TO PUBLIC
    USING (user_id = (SELECT NULLIF(current_setting('bia.user_id', true), '')::uuid))
    WITH CHECK (user_id = (SELECT NULLIF(current_setting('bia.user_id', true), '')::uuid));
CREATE POLICY owner_aggregates ON bia.medication
    FOR SELECT TO bia_owner
    USING (true);

ALTER TABLE bia.medication_dose ENABLE ROW LEVEL SECURITY;
ALTER TABLE bia.medication_dose FORCE ROW LEVEL SECURITY;
CREATE POLICY user_isolation ON bia.medication_dose
    FOR ALL TO PUBLIC
    USING (user_id = (SELECT NULLIF(current_setting('bia.user_id', true), '')::uuid))
    WITH CHECK (user_id = (SELECT NULLIF(current_setting('bia.user_id', true), '')::uuid));
CREATE POLICY owner_aggregates ON bia.medication_dose
    FOR SELECT TO bia_owner
    USING (true);

ALTER TABLE bia.context_day ENABLE ROW LEVEL SECURITY;
ALTER TABLE bia.context_day FORCE ROW LEVEL SECURITY;
CREATE POLICY user_isolation ON bia.context_day
    FOR ALL TO PUBLIC
    USING (user_id = (SELECT NULLIF(current_setting('bia.user_id', true), '')::uuid))
    WITH CHECK (user_id = (SELECT NULLIF(current_setting('bia.user_id', true), '')::uuid));
CREATE POLICY owner_aggregates ON bia.context_day
    FOR SELECT TO bia_owner
    USING (true);

ALTER TABLE bia.daily_note ENABLE ROW LEVEL SECURITY;
ALTER TABLE bia.daily_note FORCE ROW LEVEL SECURITY;
CREATE POLICY user_isolation ON bia.daily_note
    FOR ALL TO PUBLIC
    USING (user_id = (SELECT NULLIF(current_setting('bia.user_id', true), '')::uuid))
    WITH CHECK (user_id = (SELECT NULLIF(current_setting('bia.user_id', true), '')::uuid));
CREATE POLICY owner_aggregates ON bia.daily_note
    FOR SELECT TO bia_owner
    USING (true);
