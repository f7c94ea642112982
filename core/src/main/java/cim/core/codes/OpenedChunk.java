package cim.core.codes;

import cim.core.db.schema.tables.records.SourceRecordRecord;
import cim.core.protect.FieldProtector;

import java.util.List;

/** A chunk's records opened (decrypted) with their blocking keys: CPU work, done on every core ahead of matching. */
record OpenedChunk(List<MatchRecord> records, List<List<MatchKeys.Key>> keys) {
    static OpenedChunk of(List<SourceRecordRecord> rows, FieldProtector protector) {
        List<MatchRecord> records = rows.parallelStream().map(row -> MatchRecord.of(row, protector)).toList();
        return new OpenedChunk(records, records.parallelStream().map(r -> MatchKeys.of(r, protector)).toList());
    }
}
