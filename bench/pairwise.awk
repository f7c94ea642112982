# Pairwise precision and recall of customer codes against the generator's truth.
# Input: the truth file (source_system,source_key,customer) then `cim codes xref -o csv`
# (source_system,source_key,customer_code). A pair of records is "predicted" when they share a code and "true"
# when they share a real customer; precision = correct / predicted, recall = correct / true.
BEGIN { FS = "," }
FNR == 1 { file++; next }
{ gsub(/\r/, "") }
file == 1 { truth[$1 "," $2] = $3; next }
file == 2 {
    k = $1 "," $2
    if (!(k in truth)) next
    predicted[$3]++; real[truth[k]]++; both[$3 SUBSEP truth[k]]++
}
END {
    for (c in predicted) p += predicted[c] * (predicted[c] - 1) / 2
    for (e in real) t += real[e] * (real[e] - 1) / 2
    for (x in both) ok += both[x] * (both[x] - 1) / 2
    printf "pairs: predicted %d, true %d, correct %d; precision %.4f, recall %.4f\n", p, t, ok, p ? ok / p : 1, t ? ok / t : 1
}
