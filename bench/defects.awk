# Planted defects against `cim quality check --scope source --failures F`.
# Input: the generator's defects file (source_system,source_key,field,kind), then the failures file
# (key,channel,rule,field,reason). Each kind must be found by its rule; no validity or consistency rule may fail on
# a record without a planted defect (a false alarm). Prints found/planted per kind and the false alarms.
BEGIN {
    FS = ","
    rule["bad_checksum"] = "person.id_number.checksum"; rule["impossible_date"] = "person.birth_date.valid"
    rule["gender_mismatch"] = "person.gender.matches_id"; rule["malformed_phone"] = "contact.mobile.valid"
    rule["malformed_email"] = "contact.email.valid"; rule["malformed_postal_code"] = "contact.postal_code.valid"
}
FNR == 1 { file++; next }
{ gsub(/\r/, ""); gsub(/"/, "") }
file == 1 { planted[$1 "," $2] = $4; count[$4]++; next }
file == 2 {
    k = $2 "," $1
    failed[k "," $3] = 1
    if (($3 ~ /valid|checksum|matches/) && !(k in planted)) { false_alarms++; if (false_alarms <= 5) sample = sample " " k ":" $3 }
}
END {
    for (k in planted) if ((k "," rule[planted[k]]) in failed) found[planted[k]]++
    for (kind in count) { printf "%-22s found %d of %d planted\n", kind, found[kind], count[kind]; all += count[kind]; ok += found[kind] }
    printf "all kinds: found %d of %d; false alarms on records without a planted defect: %d%s\n", ok, all, false_alarms + 0, sample
}
