-- Blocking keys shared by more customers than their kind allows (a common name with a birth date, a name sound in
-- a district): the matcher does not follow them. Once found crowded a key stays so (customers sharing a key only
-- grow in number, bar merges), and remembering it spares every later run fetching its many match_key rows.
CREATE TABLE crowded_key (
    match_key  VARCHAR(32)  NOT NULL PRIMARY KEY
);
