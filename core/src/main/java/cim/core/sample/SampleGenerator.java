package cim.core.sample;

import cim.core.CustomerStatus;
import cim.core.CustomerType;
import cim.core.io.AtomicFile;
import cim.core.json.Json;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Synthetic channel records with known duplicates and planted defects, the data of the demo, the tests and the
 * benchmarks. The same seed gives the same files. Around the noisy duplicates of one customer across channels it
 * plants the hard cases a matcher must get right: family members sharing a phone and address, and strangers with
 * the same common name and birth date. The truth file maps every record to its real customer; the defects file
 * lists every planted invalid value and its kind.
 */
public final class SampleGenerator {
    /** The channels generated records name in source_system (to be registered before they are imported). */
    public static final java.util.List<String> CHANNELS = SampleData.CHANNELS;

    /** What was generated. */
    public record Summary(long records, long customers, long defects) { }

    private static final List<String> CSV_COLUMNS = List.of("source_system", "source_key", "customer_type", "status",
            "name", "gender", "birth_date", "id_type", "id_number", "mobile", "phone", "email", "address",
            "postal_code", "contact_person", "uscc", "org_code");

    private final Random random;
    private final EntityFactory factory;
    private final Noise noise;
    private final Defects defects;
    private final int defectPercent;
    private long keys;

    public SampleGenerator(long seed, int defectPercent) {
        this.random = new Random(seed);
        this.factory = new EntityFactory(random);
        this.noise = new Noise(random, factory);
        this.defects = new Defects(random);
        this.defectPercent = defectPercent;
    }

    /** Writes {@code count} records to {@code out} (.jsonl for JSON Lines, else CSV), and the truth and defects. */
    public Summary generate(long count, Path out, Path truthFile, Path defectsFile) {
        boolean jsonl = out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jsonl");
        long customers = 0;
        long planted = 0;
        long written = 0;
        try (AtomicFile records = AtomicFile.create(out);
             AtomicFile truth = truthFile == null ? null : AtomicFile.create(truthFile);
             AtomicFile defectList = defectsFile == null ? null : AtomicFile.create(defectsFile)) {
            if (!jsonl) {
                records.write(String.join(",", CSV_COLUMNS) + "\r\n");
            }
            if (truth != null) {
                truth.write("source_system,source_key,customer\r\n");
            }
            if (defectList != null) {
                defectList.write("source_system,source_key,field,kind\r\n");
            }
            while (written < count) {
                for (Entity entity : nextGroup()) {
                    customers++;
                    List<String> channels = new ArrayList<>(SampleData.CHANNELS);
                    java.util.Collections.shuffle(channels, random);
                    int copies = entity.organisation() ? 1 + random.nextInt(2) : copies();
                    for (int c = 0; c < copies && written < count; c++) {
                        String channel = channels.get(c);
                        Map<String, String> r = render(entity, channel);
                        noise.apply(r, channel, c > 0);
                        String[] defect = random.nextInt(100) < defectPercent ? defects.plant(r) : null;
                        records.write(jsonl ? json(r, entity) : csv(r));
                        if (truth != null) {
                            truth.write(channel + "," + r.get("source_key") + "," + entity.id() + "\r\n");
                        }
                        if (defect != null) {
                            planted++;
                            if (defectList != null) {
                                defectList.write(channel + "," + r.get("source_key") + "," + defect[0] + ","
                                        + defect[1] + "\r\n");
                            }
                        }
                        written++;
                    }
                }
            }
            records.commit();
            if (truth != null) {
                truth.commit();
            }
            if (defectList != null) {
                defectList.commit();
            }
        }
        return new Summary(written, customers, planted);
    }

    /** Usually one customer; sometimes a family sharing phone and address, or namesakes born the same day. */
    private List<Entity> nextGroup() {
        int roll = random.nextInt(100);
        if (roll < 4) {
            Entity holder = factory.person();
            return List.of(holder, factory.relative(holder));
        }
        if (roll < 7) {
            Entity first = factory.person();
            Entity namesake = factory.person(first.name(), first.gender(), first.birth(),
                    factory.pick(SampleData.PLACES), factory.street());
            return List.of(first, namesake);
        }
        return List.of(roll < 20 ? factory.organisation() : factory.person());
    }

    /** How many channels know a person: most one, some up to four. */
    private int copies() {
        int roll = random.nextInt(100);
        return roll < 55 ? 1 : roll < 82 ? 2 : roll < 95 ? 3 : 4;
    }

    private Map<String, String> render(Entity e, String channel) {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("source_system", channel);
        r.put("source_key", channel + "-" + String.format("%08d", ++keys));
        r.put("customer_type", (e.organisation() ? CustomerType.ORG : CustomerType.PERSON).name());
        r.put("status", (e.insured() ? CustomerStatus.INSURED : CustomerStatus.POTENTIAL).name());
        r.put("name", e.name());
        if (!e.organisation()) {
            r.put("gender", e.gender());
            r.put("birth_date", e.birth().toString());
            r.put("id_type", "身份证");
            r.put("id_number", e.idNumber());
        }
        putIfPresent(r, "mobile", e.mobile());
        putIfPresent(r, "phone", e.phone());
        putIfPresent(r, "email", e.email());
        r.put("address", e.address());
        r.put("postal_code", e.place().postal());
        putIfPresent(r, "contact_person", e.contactPerson());
        putIfPresent(r, "uscc", e.uscc());
        if (e.uscc() != null && random.nextInt(4) == 0) {
            r.put("org_code", e.orgCode());
        }
        return r;
    }

    private static void putIfPresent(Map<String, String> r, String key, String value) {
        if (value != null) {
            r.put(key, value);
        }
    }

    private static String csv(Map<String, String> r) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < CSV_COLUMNS.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            String v = r.get(CSV_COLUMNS.get(i));
            if (v != null) {
                boolean quote = v.contains(",") || v.contains("\"") || !v.equals(v.strip());
                line.append(quote ? '"' + v.replace("\"", "\"\"") + '"' : v);
            }
        }
        return line.append("\r\n").toString();
    }

    private static String json(Map<String, String> r, Entity e) {
        Map<String, Object> object = new LinkedHashMap<>(r);
        if (e.insured()) {
            object.put("policies", List.of(Map.of("policy_no", "PDAA" + r.get("source_key").hashCode(),
                    "role", e.organisation() ? "投保人" : "被保险人")));
        }
        return Json.MAPPER.writeValueAsString(object) + "\n";
    }
}
