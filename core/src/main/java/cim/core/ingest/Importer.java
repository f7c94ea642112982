package cim.core.ingest;

import cim.core.Background;
import cim.core.CimException;
import cim.core.Failure;
import cim.core.audit.AuditEntry;
import cim.core.audit.AuditTrail;
import cim.core.db.Database;
import cim.core.db.Profiles;
import cim.core.policy.PolicyStore;
import cim.core.protect.FieldProtector;
import cim.core.protect.Quarantined;
import cim.core.protect.TierRegistry;
import org.jooq.DSLContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

import static cim.core.db.schema.Tables.IMPORT_BATCH;
import static cim.core.db.schema.Tables.QUARANTINE;

/**
 * Imports one file as one batch, all or nothing: rows are read in chunks, built in parallel (normalise, validate,
 * protect), staged (COPY on PostgreSQL), and one set-based step makes them source records (a key already known
 * becomes a new version). Unusable rows go to quarantine. Everything, with its audit event, is one transaction.
 */
public final class Importer {
    static final int CHUNK = 2_000;
    /** For sizing by file size: a row with a key and a name or identifier takes at least this many bytes. */
    private static final long BYTES_PER_ROW_AT_LEAST = 48;

    private final Database db;
    private final AuditTrail audit;
    private final FieldProtector protector;

    public Importer(Database db, AuditTrail audit, FieldProtector protector) {
        this.db = db;
        this.audit = audit;
        this.protector = protector;
    }

    public ImportResult importFile(Path path, ImportOptions options, RejectsFile rejects, LongConsumer progress) {
        return importFile(path, path.toString(), options, rejects, progress);
    }

    /** @param name the file as the batch, the audit trail and messages name it ("-": standard input, spooled) */
    public ImportResult importFile(Path path, String name, ImportOptions options, RejectsFile rejects,
                                   LongConsumer progress) {
        long started = System.nanoTime();
        if (!options.dryRun()) {
            Profiles.require(db.dsl(), "import", Profiles.Profile.IMPORTER);
        }
        Channels.requireRegistered(db.dsl(), options.source());
        InputFile file = InputFile.open(path, options.format(), options.encoding());
        Long loaded = loadedBefore(db.dsl(), options, file);
        if (loaded != null && !options.force()) {
            return new ImportResult(name, loaded, 0, 0, 0, true, options.dryRun(), seconds(started));
        }
        if (options.dryRun()) {
            // a dry run stores nothing and holds a throwaway keyring, so it reads the registry as it is
            // a dry run may run without the keyset: the signatures of the channels and the policy go unchecked
            RecordBuilder builder = new RecordBuilder(options.source(), Channels.codes(db.dsl(), null),
                    PolicyStore.current(db.dsl(), null).policy().cleansing(), TierRegistry.load(db.dsl()),
                    protector, LocalDate.now());
            RowCounts counts = process(file, options, builder, null, rejects, progress);
            checkLimit(options, name, counts);
            return new ImportResult(name, null, counts.read(), counts.accepted(), counts.rejected(), false, true,
                    seconds(started));
        }
        long[] batch = {0};
        long[] repeated = {0};
        try {
            RowCounts counts = db.dsl().transactionResult(tx -> {
                DSLContext t = tx.dsl();
                // the registry's lock first, then the channels' (taken as rows name them): a change of tier waits
                // for this import to commit (and re-protects what it stored), or this import protects by the tier it
                // set; an import never waits for it while holding a channel another import waits for
                TierRegistry.lockForWriting(t);
                lockChannel(t, options);
                if (loaded == null && !options.force() && loadedBefore(t, options, file) != null) {
                    return null;
                }
                RecordBuilder builder = new RecordBuilder(options.source(), Channels.codes(t, audit.key()),
                        PolicyStore.current(t, audit.key()).policy().cleansing(), protector.registry(t), protector,
                        LocalDate.now());
                batch[0] = insertBatch(t, name, file, options, "loading", null);
                Staging staging = new Staging(t, batch[0], file.bytes() / BYTES_PER_ROW_AT_LEAST,
                        options.batchChannel());
                RowCounts c = process(file, options, builder, new Target(t, batch[0], staging, protector), rejects,
                        progress);
                checkLimit(options, name, c);
                if (staging.anyStaged()) {
                    staging.analyse();
                    repeated[0] = Merge.apply(t, batch[0], staging.sharedTable());
                }
                t.update(IMPORT_BATCH).set(IMPORT_BATCH.STATE, "committed").set(IMPORT_BATCH.ROWS_READ, c.read())
                        .set(IMPORT_BATCH.ROWS_ACCEPTED, c.accepted()).set(IMPORT_BATCH.ROWS_REJECTED, c.rejected())
                        .set(IMPORT_BATCH.FINISHED_AT, OffsetDateTime.now())
                        .where(IMPORT_BATCH.ID.eq(batch[0])).execute();
                audit.append(t, AuditEntry.of("import").object("batch", String.valueOf(batch[0])).rows(c.accepted())
                        .detail(Map.of("file", name, "sha256", file.sha256(), "source", options.batchChannel(),
                                "read", c.read(), "rejected", c.rejected(), "forced", loaded != null)));
                return c;
            });
            if (counts == null) {
                return new ImportResult(name, loadedBefore(db.dsl(), options, file), 0, 0, 0, true, false,
                        seconds(started));
            }
            return new ImportResult(name, batch[0], counts.read(), counts.accepted(), counts.rejected(), false, false,
                    seconds(started), repeated[0]);
        } catch (CimException e) {
            if (e.failure() == Failure.CHECK_FAILED) {
                recordFailure(name, file, options, e.getMessage());
            }
            throw e;
        }
    }

    private static Long loadedBefore(DSLContext dsl, ImportOptions options, InputFile file) {
        return dsl.select(IMPORT_BATCH.ID).from(IMPORT_BATCH)
                .where(IMPORT_BATCH.SOURCE_SYSTEM.eq(options.batchChannel()).and(IMPORT_BATCH.FILE_SHA256.eq(file.sha256()))
                        .and(IMPORT_BATCH.STATE.eq("committed"))).limit(1).fetchOne(IMPORT_BATCH.ID);
    }

    /**
     * Two runs importing for the same channel (a cron overlap) take turns: the second sees the first's batch and
     * skips the same file, or makes the first's keys its next versions. Rows may name channels of their own
     * (source_system): the file's lock covers each the first time a row names it ({@link Staging}).
     */
    private void lockChannel(DSLContext tx, ImportOptions options) {
        db.backend().engine().lockChannelForImport(tx, options.batchChannel());
    }

    /** Where built rows go inside the transaction. */
    private record Target(DSLContext tx, long batch, Staging staging, FieldProtector protector) { }

    /**
     * Reads, builds and (unless a dry run) stores every row; returns its counts. Three stages run
     * at once, one chunk in each: reading the next chunk (this thread), building one (CPU: normalise, validate,
     * encrypt, encode, in parallel) and writing the one before (database). Memory stays at a few chunks whatever
     * the file size.
     */
    private RowCounts process(InputFile file, ImportOptions options, RecordBuilder builder, Target target,
                              RejectsFile rejects, LongConsumer progress) {
        AtomicReference<RowCounts> counts = new AtomicReference<>(RowCounts.NONE);
        ExecutorService builderThread = Background.thread("cim-import-builder");
        ExecutorService writer = Background.thread("cim-import-writer");
        Future<Chunk> building = null;
        Future<?> writing = CompletableFuture.completedFuture(null);
        try (RowReader reader = RowReader.open(file, options.mapping())) {
            requireKeyColumn(file, reader);
            if (options.source() == null && reader instanceof RowReader.Csv csv
                    && !csv.mappedFields().contains(HeaderMapping.SOURCE_SYSTEM)) {
                throw new CimException(Failure.USAGE, "--source is required: " + file.path() + " has no source_system "
                        + "column to name each row's channel", "give --source CHANNEL (or a source_system column)");
            }
            List<RawRow> chunk = new ArrayList<>(CHUNK);
            boolean more = true;
            while (more) {
                RawRow row = reader.next();
                if (row != null) {
                    chunk.add(row);
                }
                more = row != null;
                if (chunk.size() == CHUNK || (!more && !chunk.isEmpty())) {
                    List<RawRow> rows = chunk;
                    chunk = new ArrayList<>(CHUNK);
                    Future<Chunk> next = builderThread.submit(
                            () -> Chunk.of(rows.parallelStream().map(builder::build).toList(), target));
                    writing = handOn(building, writing, writer, file, target, rejects, counts, progress);
                    building = next;
                }
            }
            Background.await(handOn(building, writing, writer, file, target, rejects, counts, progress));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            builderThread.shutdownNow();
            // a write under way on the file's transaction ends before the caller commits or rolls it back
            Background.finish(writer);
        }
        return counts.get();
    }

    /** Once a chunk is built and the one before written, starts writing it; returns that write. */
    private static Future<?> handOn(Future<Chunk> building, Future<?> writing, ExecutorService writer, InputFile file,
                                    Target target, RejectsFile rejects, AtomicReference<RowCounts> counts,
                                    LongConsumer progress) {
        if (building == null) {
            return writing;
        }
        Chunk built = Background.await(building);
        Background.await(writing);
        return writer.submit(() -> store(file, built, target, rejects, counts, progress));
    }

    /** One chunk's usable rows (with their COPY lines when there is a target) and unusable rows. */
    private record Chunk(List<RecordBuilder.Staged> staged, List<byte[]> lines, List<RecordBuilder.Rejected> bad) {
        static Chunk of(List<RecordBuilder.Built> built, Target target) {
            List<RecordBuilder.Staged> staged = new ArrayList<>(built.size());
            List<RecordBuilder.Rejected> bad = new ArrayList<>();
            for (RecordBuilder.Built b : built) {
                if (b instanceof RecordBuilder.Staged s) {
                    staged.add(s);
                } else {
                    bad.add((RecordBuilder.Rejected) b);
                }
            }
            return new Chunk(staged, target == null ? null : target.staging().encode(staged), bad);
        }
    }

    /** Stores one built chunk (on the writer thread, the only user of the transaction meanwhile). */
    private static void store(InputFile file, Chunk chunk, Target target, RejectsFile rejects,
                              AtomicReference<RowCounts> counts, LongConsumer progress) {
        if (target != null) {
            target.staging().write(chunk.staged(), chunk.lines());
            quarantine(target, chunk.bad());
        }
        if (rejects != null) {
            chunk.bad().forEach(r -> rejects.write(file.path().toString(), r.line(), r.reason(), r.maskedRaw()));
        }
        RowCounts stored = RowCounts.of(chunk.staged().size(), chunk.bad().size());
        progress.accept(counts.accumulateAndGet(stored, RowCounts::plus).read());
    }


    private static void requireKeyColumn(InputFile file, RowReader reader) {
        if (reader instanceof RowReader.Csv csv && !csv.mappedFields().contains(HeaderMapping.SOURCE_KEY)) {
            // only the names cim knows are printed: a file without a header row has a customer's values there
            List<String> known = csv.mappedFields().stream().distinct().toList();
            int unknown = csv.headers().size() - csv.mappedFields().size();
            throw new CimException(Failure.INPUT, file.path() + " has no source_key column; its first line has "
                    + csv.headers().size() + " columns: " + (known.isEmpty() ? "none" : String.join(", ", known))
                    + " known" + (unknown > 0 ? ", " + unknown + " not known (their text is not shown)" : ""),
                    "name the column source_key (or 客户编号), or map it with --mapping (e.g. 'policy_no = source_key')");
        }
    }

    private static void quarantine(Target target, List<RecordBuilder.Rejected> rows) {
        for (RecordBuilder.Rejected r : rows) {
            // sealed whole (it may hold tier-1 values anywhere), bound to its batch and line
            String sealed = target.protector().seal(Quarantined.CONTEXT, Quarantined.row(target.batch(), r.line()), r.raw());
            target.tx().insertInto(QUARANTINE).set(QUARANTINE.BATCH_ID, target.batch()).set(QUARANTINE.LINE_NO, r.line())
                    .set(QUARANTINE.REASON, r.reason()).set(QUARANTINE.RAW_ROW, sealed)
                    .set(QUARANTINE.RAW_MASKED, r.maskedRaw()).execute();
        }
    }

    private static void checkLimit(ImportOptions options, String path, RowCounts counts) {
        if (options.maxRejects().exceeded(counts.rejected(), counts.read())) {
            throw new CimException(Failure.CHECK_FAILED, path + ": " + counts.rejected() + " of " + counts.read()
                    + " rows rejected, over --max-rejects " + options.maxRejects() + "; nothing was stored",
                    "see why with --rejects FILE, fix the file, and import it again");
        }
    }

    private void recordFailure(String name, InputFile file, ImportOptions options, String why) {
        db.dsl().transaction(tx -> {
            long id = insertBatch(tx.dsl(), name, file, options, "failed", OffsetDateTime.now());
            audit.append(tx.dsl(), AuditEntry.of("import.failed").object("batch", String.valueOf(id)).reason(why)
                    .detail(Map.of("file", name, "sha256", file.sha256())));
        });
    }

    /** The file's import_batch row, in a state (loading, or failed with the time it ended); its id. */
    private long insertBatch(DSLContext tx, String name, InputFile file, ImportOptions options, String state,
                             OffsetDateTime finishedAt) {
        return tx.insertInto(IMPORT_BATCH).set(IMPORT_BATCH.SOURCE_SYSTEM, options.batchChannel())
                .set(IMPORT_BATCH.FILE_NAME, name).set(IMPORT_BATCH.FILE_SHA256, file.sha256())
                .set(IMPORT_BATCH.FORMAT, file.format().name().toLowerCase(java.util.Locale.ROOT))
                .set(IMPORT_BATCH.ENCODING, file.charset().name()).set(IMPORT_BATCH.STATE, state)
                .set(IMPORT_BATCH.ACTOR, audit.context().actor()).set(IMPORT_BATCH.FINISHED_AT, finishedAt)
                .returning(IMPORT_BATCH.ID).fetchSingle().getId();
    }

    private static double seconds(long started) {
        return Math.round((System.nanoTime() - started) / 1e7) / 100.0;
    }
}
