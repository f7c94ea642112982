-- Every import wrote five indexes over source_record's blind-index columns (ID number, mobile, e-mail, credit code,
-- organisation code) that no statement reads: matching finds records by their blocking keys (match_key), and a
-- value is looked up through the golden records (customer keeps its blind indexes indexed). They were more than a
-- quarter of PostgreSQL's work in a bulk import. The columns stay: codes assign reads them with each record.
DROP INDEX source_record_id_number;
DROP INDEX source_record_mobile;
DROP INDEX source_record_email;
DROP INDEX source_record_uscc;
DROP INDEX source_record_org_code;
