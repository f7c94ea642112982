-- cim schema v17: codes assign remembers which import batches it has coded, not the highest record id it saw. Ids are
-- handed out before an import commits, so a big import still running while a small one committed had ids below
-- that mark when it committed, and its records never got a code. A batch commits whole, so "coded" is exact.
ALTER TABLE import_batch ADD COLUMN coded_at TIMESTAMP WITH TIME ZONE;
-- a batch is coded once every current record of it is linked; those a mark skipped stay to be coded now
UPDATE import_batch SET coded_at = CURRENT_TIMESTAMP
WHERE state = 'committed' AND NOT EXISTS (
    SELECT 1 FROM source_record s WHERE s.batch_id = import_batch.id AND s.is_current AND NOT EXISTS (
        SELECT 1 FROM customer_link l WHERE l.source_system = s.source_system AND l.source_key = s.source_key
            AND l.valid_to IS NULL));
DROP TABLE job_state;

-- Values that begin like a marked one are data: cim now stores such a clear value behind 'cim0:' and takes it off
-- when reading. One stored before (only 'cim1:' cells were refused) would be read as sealed ('cim2:') or lose its
-- prefix ('cim0:'): it gets the escape now. ('cim1:' is what cim sealed before, and stays.)
UPDATE source_record SET id_number = 'cim0:' || id_number WHERE id_number LIKE 'cim0:%' OR id_number LIKE 'cim2:%';
UPDATE source_record SET uscc = 'cim0:' || uscc WHERE uscc LIKE 'cim0:%' OR uscc LIKE 'cim2:%';
UPDATE source_record SET org_code = 'cim0:' || org_code WHERE org_code LIKE 'cim0:%' OR org_code LIKE 'cim2:%';
UPDATE source_record SET business_licence = 'cim0:' || business_licence WHERE business_licence LIKE 'cim0:%' OR business_licence LIKE 'cim2:%';
UPDATE source_record SET accounts = 'cim0:' || accounts WHERE accounts LIKE 'cim0:%' OR accounts LIKE 'cim2:%';
UPDATE source_record SET mobile = 'cim0:' || mobile WHERE mobile LIKE 'cim0:%' OR mobile LIKE 'cim2:%';
UPDATE source_record SET phone = 'cim0:' || phone WHERE phone LIKE 'cim0:%' OR phone LIKE 'cim2:%';
UPDATE source_record SET email = 'cim0:' || email WHERE email LIKE 'cim0:%' OR email LIKE 'cim2:%';
UPDATE source_record SET wechat = 'cim0:' || wechat WHERE wechat LIKE 'cim0:%' OR wechat LIKE 'cim2:%';
UPDATE source_record SET qq = 'cim0:' || qq WHERE qq LIKE 'cim0:%' OR qq LIKE 'cim2:%';
UPDATE source_record SET credit_rating = 'cim0:' || credit_rating WHERE credit_rating LIKE 'cim0:%' OR credit_rating LIKE 'cim2:%';
UPDATE source_record SET name = 'cim0:' || name WHERE name LIKE 'cim0:%' OR name LIKE 'cim2:%';
UPDATE source_record SET gender = 'cim0:' || gender WHERE gender LIKE 'cim0:%' OR gender LIKE 'cim2:%';
UPDATE source_record SET birth_date = 'cim0:' || birth_date WHERE birth_date LIKE 'cim0:%' OR birth_date LIKE 'cim2:%';
UPDATE source_record SET address = 'cim0:' || address WHERE address LIKE 'cim0:%' OR address LIKE 'cim2:%';
UPDATE source_record SET postal_code = 'cim0:' || postal_code WHERE postal_code LIKE 'cim0:%' OR postal_code LIKE 'cim2:%';
UPDATE source_record SET contact_person = 'cim0:' || contact_person WHERE contact_person LIKE 'cim0:%' OR contact_person LIKE 'cim2:%';
UPDATE source_record SET relations = 'cim0:' || relations WHERE relations LIKE 'cim0:%' OR relations LIKE 'cim2:%';
UPDATE source_record SET policies = 'cim0:' || policies WHERE policies LIKE 'cim0:%' OR policies LIKE 'cim2:%';
UPDATE source_record SET claims = 'cim0:' || claims WHERE claims LIKE 'cim0:%' OR claims LIKE 'cim2:%';
UPDATE source_record SET assets = 'cim0:' || assets WHERE assets LIKE 'cim0:%' OR assets LIKE 'cim2:%';
UPDATE source_record SET id_type = 'cim0:' || id_type WHERE id_type LIKE 'cim0:%' OR id_type LIKE 'cim2:%';
UPDATE source_record SET industry = 'cim0:' || industry WHERE industry LIKE 'cim0:%' OR industry LIKE 'cim2:%';
UPDATE source_record SET enterprise_type = 'cim0:' || enterprise_type WHERE enterprise_type LIKE 'cim0:%' OR enterprise_type LIKE 'cim2:%';
UPDATE source_record SET enterprise_size = 'cim0:' || enterprise_size WHERE enterprise_size LIKE 'cim0:%' OR enterprise_size LIKE 'cim2:%';
UPDATE source_record SET touchpoints = 'cim0:' || touchpoints WHERE touchpoints LIKE 'cim0:%' OR touchpoints LIKE 'cim2:%';
UPDATE source_record SET preferences = 'cim0:' || preferences WHERE preferences LIKE 'cim0:%' OR preferences LIKE 'cim2:%';
UPDATE source_record SET assessment = 'cim0:' || assessment WHERE assessment LIKE 'cim0:%' OR assessment LIKE 'cim2:%';
UPDATE customer SET id_number = 'cim0:' || id_number WHERE id_number LIKE 'cim0:%' OR id_number LIKE 'cim2:%';
UPDATE customer SET uscc = 'cim0:' || uscc WHERE uscc LIKE 'cim0:%' OR uscc LIKE 'cim2:%';
UPDATE customer SET org_code = 'cim0:' || org_code WHERE org_code LIKE 'cim0:%' OR org_code LIKE 'cim2:%';
UPDATE customer SET business_licence = 'cim0:' || business_licence WHERE business_licence LIKE 'cim0:%' OR business_licence LIKE 'cim2:%';
UPDATE customer SET accounts = 'cim0:' || accounts WHERE accounts LIKE 'cim0:%' OR accounts LIKE 'cim2:%';
UPDATE customer SET mobile = 'cim0:' || mobile WHERE mobile LIKE 'cim0:%' OR mobile LIKE 'cim2:%';
UPDATE customer SET phone = 'cim0:' || phone WHERE phone LIKE 'cim0:%' OR phone LIKE 'cim2:%';
UPDATE customer SET email = 'cim0:' || email WHERE email LIKE 'cim0:%' OR email LIKE 'cim2:%';
UPDATE customer SET wechat = 'cim0:' || wechat WHERE wechat LIKE 'cim0:%' OR wechat LIKE 'cim2:%';
UPDATE customer SET qq = 'cim0:' || qq WHERE qq LIKE 'cim0:%' OR qq LIKE 'cim2:%';
UPDATE customer SET credit_rating = 'cim0:' || credit_rating WHERE credit_rating LIKE 'cim0:%' OR credit_rating LIKE 'cim2:%';
UPDATE customer SET name = 'cim0:' || name WHERE name LIKE 'cim0:%' OR name LIKE 'cim2:%';
UPDATE customer SET gender = 'cim0:' || gender WHERE gender LIKE 'cim0:%' OR gender LIKE 'cim2:%';
UPDATE customer SET birth_date = 'cim0:' || birth_date WHERE birth_date LIKE 'cim0:%' OR birth_date LIKE 'cim2:%';
UPDATE customer SET address = 'cim0:' || address WHERE address LIKE 'cim0:%' OR address LIKE 'cim2:%';
UPDATE customer SET postal_code = 'cim0:' || postal_code WHERE postal_code LIKE 'cim0:%' OR postal_code LIKE 'cim2:%';
UPDATE customer SET contact_person = 'cim0:' || contact_person WHERE contact_person LIKE 'cim0:%' OR contact_person LIKE 'cim2:%';
UPDATE customer SET relations = 'cim0:' || relations WHERE relations LIKE 'cim0:%' OR relations LIKE 'cim2:%';
UPDATE customer SET policies = 'cim0:' || policies WHERE policies LIKE 'cim0:%' OR policies LIKE 'cim2:%';
UPDATE customer SET claims = 'cim0:' || claims WHERE claims LIKE 'cim0:%' OR claims LIKE 'cim2:%';
UPDATE customer SET assets = 'cim0:' || assets WHERE assets LIKE 'cim0:%' OR assets LIKE 'cim2:%';
UPDATE customer SET id_type = 'cim0:' || id_type WHERE id_type LIKE 'cim0:%' OR id_type LIKE 'cim2:%';
UPDATE customer SET industry = 'cim0:' || industry WHERE industry LIKE 'cim0:%' OR industry LIKE 'cim2:%';
UPDATE customer SET enterprise_type = 'cim0:' || enterprise_type WHERE enterprise_type LIKE 'cim0:%' OR enterprise_type LIKE 'cim2:%';
UPDATE customer SET enterprise_size = 'cim0:' || enterprise_size WHERE enterprise_size LIKE 'cim0:%' OR enterprise_size LIKE 'cim2:%';
UPDATE customer SET touchpoints = 'cim0:' || touchpoints WHERE touchpoints LIKE 'cim0:%' OR touchpoints LIKE 'cim2:%';
UPDATE customer SET preferences = 'cim0:' || preferences WHERE preferences LIKE 'cim0:%' OR preferences LIKE 'cim2:%';
UPDATE customer SET assessment = 'cim0:' || assessment WHERE assessment LIKE 'cim0:%' OR assessment LIKE 'cim2:%';
