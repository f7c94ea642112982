package cim.core.codes;

import cim.core.db.schema.tables.records.SourceRecordRecord;
import cim.core.json.Json;
import cim.core.protect.CustomerField;
import cim.core.protect.FieldProtector;
import cim.core.protect.Keyring;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static cim.core.db.schema.Tables.CUSTOMER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GoldenListsTest {
    private static final FieldProtector PROTECTOR = new FieldProtector(Keyring.generate());

    private static SourceRecordRecord record(long id, String channel, String key, int day) {
        SourceRecordRecord row = new SourceRecordRecord();
        row.setId(id);
        row.setBatchId(id);
        row.setSourceSystem(channel);
        row.setSourceKey(key);
        row.setName("张三");
        row.setCollectedAt(OffsetDateTime.of(2026, 11, day, 9, 0, 0, 0, ZoneOffset.UTC));
        return row;
    }

    private static Map<String, Object> golden(List<SourceRecordRecord> rows, FieldProtector protector) {
        Object[] values = GoldenRecord.build(rows.stream().map(StoredRecord::of).toList(), ChannelTrust.parse(null), 0,
                new GoldenLists(protector, "P1"), java.util.Map.of());
        Map<String, Object> byColumn = new HashMap<>();
        for (int i = 0; i < GoldenRecord.COLUMNS.size(); i++) {
            byColumn.put(GoldenRecord.COLUMNS.get(i).getName(), values[i]);
        }
        return byColumn;
    }

    private static Object provenance(Map<String, Object> golden, String column) {
        return GoldenRecord.provenance((String) golden.get(CUSTOMER.PROVENANCE.getName()),
                c -> golden.get(c) != null).get(column);
    }

    /**
     * Agent record T1 with policy A-1 and web record T2 with policy B-2, for one customer: the golden record holds
     * both, each once (A-1 is in both channels, written differently), with the records behind each item; the more
     * trusted channel's items and versions come first. Before, it held the one record's list that survivorship picked.
     */
    @Test
    void listsOfSeveralRecordsAreCombinedOnceEachWithTheRecordsBehindEachItem() {
        SourceRecordRecord agent = record(1, "agent", "T1", 1);
        agent.setPolicies("[{\"policy_no\":\"A-1\",\"product\":\"机动车辆保险\"}]");
        agent.setTouchpoints("[{\"channel\":\"agent\"}]");
        SourceRecordRecord web = record(2, "web", "T2", 2);
        web.setPolicies("[{\"policy_no\":\"B-2\"},{\"policy_no\":\"a 1\",\"product\":\"车险\"}]");
        web.setTouchpoints("[{\"channel\":\"agent\"},{\"channel\":\"web\"}]");
        web.setClaims("[{\"claim_no\":\"C-9\"}]");

        Map<String, Object> golden = golden(List.of(agent, web), PROTECTOR);

        assertThat(Json.MAPPER.readValue((String) golden.get("policies"), List.class)).isEqualTo(List.of(
                Map.of("policy_no", "A-1", "product", "机动车辆保险"), Map.of("policy_no", "B-2")));
        assertThat(provenance(golden, "policies")).isEqualTo(List.of(List.of("agent/T1#1", "web/T2#2"),
                List.of("web/T2#2")));
        assertThat(Json.MAPPER.readValue((String) golden.get("touchpoints"), List.class)).isEqualTo(List.of(
                Map.of("channel", "agent"), Map.of("channel", "web")));
        assertThat(provenance(golden, "touchpoints")).isEqualTo(List.of(List.of("agent/T1#1", "web/T2#2"),
                List.of("web/T2#2")));
        // a list only one record holds is its value, as survivorship copies every other field
        assertThat(golden.get("claims")).isEqualTo("[{\"claim_no\":\"C-9\"}]");
        assertThat(provenance(golden, "claims")).isEqualTo("web/T2#2");
        assertThat(provenance(golden, "name")).isEqualTo("agent/T1#1");
    }

    /**
     * Sealed lists are opened, combined and sealed again, bound to the customer: no one record supplied the
     * combined value, so it opens neither against a record's row nor against another customer.
     */
    @Test
    void aCombinedSealedListIsSealedAgainBoundToTheCustomer() {
        SourceRecordRecord agent = record(1, "agent", "T1", 1);
        agent.setAccounts(PROTECTOR.seal(CustomerField.ACCOUNTS, FieldProtector.row("agent", "T1"),
                "[{\"bank\":\"工行\",\"number\":\"6222 0202 0011 2233 445\"}]"));
        SourceRecordRecord web = record(2, "web", "T2", 2);
        web.setAccounts(PROTECTOR.seal(CustomerField.ACCOUNTS, FieldProtector.row("web", "T2"),
                "[{\"number\":\"6222020200112233445\"},{\"number\":\"6217000010001234567\"}]"));

        String sealed = (String) golden(List.of(agent, web), PROTECTOR).get("accounts");

        assertThat(FieldProtector.isSealed(sealed)).isTrue();
        assertThat(Json.MAPPER.readValue(PROTECTOR.open(CustomerField.ACCOUNTS, FieldProtector.customerRow("P1"),
                sealed), List.class)).isEqualTo(List.of(Map.of("bank", "工行", "number", "6222 0202 0011 2233 445"),
                Map.of("number", "6217000010001234567")));
        assertThatThrownBy(() -> PROTECTOR.open(CustomerField.ACCOUNTS, FieldProtector.row("web", "T2"), sealed))
                .isInstanceOf(FieldProtector.Unreadable.class);
        assertThatThrownBy(() -> PROTECTOR.open(CustomerField.ACCOUNTS, FieldProtector.customerRow("P2"), sealed))
                .isInstanceOf(FieldProtector.Unreadable.class);
        // and the reader of a golden record finds the customer in its provenance
        Map<String, Object> golden = golden(List.of(agent, web), PROTECTOR);
        assertThat(FieldProtector.goldenRows((String) golden.get(CUSTOMER.PROVENANCE.getName()), "P1")
                .apply(CustomerField.ACCOUNTS)).isEqualTo(FieldProtector.customerRow("P1"));
        assertThat(FieldProtector.goldenRows((String) golden.get(CUSTOMER.PROVENANCE.getName()), "P1")
                .apply(CustomerField.NAME)).isEqualTo(FieldProtector.row("agent", "T1"));
    }

    /** A list cell that is no JSON (a CSV column) is one item; equal texts are one. */
    @Test
    void textThatIsNoJsonListIsOneItem() {
        SourceRecordRecord agent = record(1, "agent", "T1", 1);
        agent.setRelations("配偶 李四");
        SourceRecordRecord web = record(2, "web", "T2", 2);
        web.setRelations("[\"配偶 李四\",\"子女 张小\"]");
        assertThat(Json.MAPPER.readValue((String) golden(List.of(agent, web), PROTECTOR).get("relations"),
                List.class)).isEqualTo(List.of("配偶 李四", "子女 张小"));
    }
}
