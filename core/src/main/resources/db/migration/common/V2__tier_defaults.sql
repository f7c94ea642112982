-- The default tier registry of SPEC §2 (Art. 7 categories, Art. 8 origins, Art. 9 tiers).
-- Where Art. 7 and Art. 9 disagree (the mailing address) the default follows Art. 9; every row can be reclassified.

INSERT INTO tier_policy (tier, at_rest, masked_by, audit_reveal, description) VALUES
    (1, 'encrypted', 'tier1,tier2', TRUE,  'serious harm if misused or leaked: encrypted at rest, blind index where searched, masked by default, never logged'),
    (2, 'clear',     'tier2',       FALSE, 'some harm: stored in clear, masked in --mask tier2 exports'),
    (3, 'clear',     '',            FALSE, 'slight effect: stored and shown in clear');

INSERT INTO tier_registry (field, category, origin, tier, masking, searchable, description) VALUES
    ('id_number',        'basic',        'original', 1, 'resident_id',  TRUE,  'ID document number'),
    ('uscc',             'basic',        'original', 1, 'org_id',       TRUE,  'unified social credit code'),
    ('org_code',         'basic',        'original', 1, 'org_id',       TRUE,  'organisation code'),
    ('business_licence', 'basic',        'original', 1, 'org_id',       TRUE,  'business-licence number'),
    ('accounts',         'financial',    'original', 1, 'bank_account', FALSE, 'bank name, account name, account number'),
    ('mobile',           'contact',      'original', 1, 'mobile',       TRUE,  'mobile number'),
    ('phone',            'contact',      'original', 1, 'mobile',       TRUE,  'landline number'),
    ('email',            'contact',      'original', 1, 'email',        TRUE,  'e-mail address'),
    ('wechat',           'contact',      'original', 1, 'first_char',   TRUE,  'WeChat ID'),
    ('qq',               'contact',      'original', 1, 'first_char',   TRUE,  'QQ ID'),
    ('credit_rating',    'assessment',   'derived',  1, 'redact',       FALSE, 'credit rating'),
    ('name',             'basic',        'original', 2, 'name',         FALSE, 'person or organisation name'),
    ('gender',           'basic',        'original', 2, 'redact',       FALSE, 'gender'),
    ('birth_date',       'basic',        'original', 2, 'redact',       FALSE, 'date of birth'),
    ('address',          'contact',      'original', 2, 'address',      FALSE, 'mailing address'),
    ('postal_code',      'contact',      'original', 2, 'redact',       FALSE, 'postal code'),
    ('contact_person',   'contact',      'original', 2, 'name',         FALSE, 'contact person'),
    ('relations',        'relationship', 'original', 2, 'redact',       FALSE, 'person, organisation, agent and agreement relationships'),
    ('policies',         'agreement',    'original', 2, 'redact',       FALSE, 'policy and premium-payment summaries (transaction information)'),
    ('claims',           'claims',       'original', 2, 'redact',       FALSE, 'accident, case and claim-payment summaries (transaction information)'),
    ('assets',           'assets',       'original', 2, 'redact',       FALSE, 'property, vehicles and financial assets'),
    ('id_type',          'basic',        'original', 3, 'redact',       FALSE, 'ID document type'),
    ('industry',         'basic',        'original', 3, 'redact',       FALSE, 'industry'),
    ('enterprise_type',  'basic',        'original', 3, 'redact',       FALSE, 'enterprise type'),
    ('enterprise_size',  'basic',        'original', 3, 'redact',       FALSE, 'enterprise size'),
    ('touchpoints',      'touchpoint',   'original', 3, 'redact',       FALSE, 'contacts through direct, agent, telesales, web, social and connected-car channels'),
    ('preferences',      'preference',   'original', 3, 'redact',       FALSE, 'preferred channel, privacy requirements, risk appetite, habits'),
    ('assessment',       'assessment',   'derived',  3, 'redact',       FALSE, 'customer grade, score, points, segment');
