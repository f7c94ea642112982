package cim.core.codes;

import cim.core.db.schema.tables.records.SourceRecordRecord;
import cim.core.protect.FieldProtector;

import java.util.List;

/**
 * A chunk's records the admission rules admit, opened (decrypted) with their blocking keys: CPU work, done on every
 * core ahead of matching; and those the rules refused, which are not opened.
 */
record OpenedChunk(List<SourceRecordRecord> rows, List<MatchRecord> records, List<List<MatchKeys.Key>> keys,
                   List<PendingRecords.Refusal> refused) {
    static OpenedChunk of(List<SourceRecordRecord> rows, List<PendingRecords.Refusal> refused,
                          FieldProtector protector) {
        List<MatchRecord> records = rows.parallelStream().map(row -> MatchRecord.of(row, protector)).toList();
        return new OpenedChunk(rows, records, records.parallelStream().map(r -> MatchKeys.of(r, protector)).toList(),
                refused);
    }
}
