package cim.cli.render;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ColumnsTest {
    record Run(long id, String startedAt, double score) { }

    @Test
    void aRecordTypeGivesSnakeCaseJsonAndTheSameValuesInItsTable() {
        List<Run> runs = List.of(new Run(1, "2026-12-07T04:00Z", 97.5), new Run(2, "2026-12-08T04:00Z", 99.0));
        Columns<Run> columns = Columns.of(Run.class);
        assertThat(columns.json(runs)).containsExactly(
                Map.of("id", 1L, "started_at", "2026-12-07T04:00Z", "score", 97.5),
                Map.of("id", 2L, "started_at", "2026-12-08T04:00Z", "score", 99.0));
        assertThat(columns.json(runs).get(0).keySet()).containsExactly("id", "started_at", "score");
        Table table = columns.table(runs);
        assertThat(table.rows()).containsExactly(List.of("1", "2026-12-07T04:00Z", "97.5"),
                List.of("2", "2026-12-08T04:00Z", "99.0"));
    }

    @Test
    void aColumnMayShowPeopleAShorterFormThanJson() {
        Columns<Run> columns = Columns.<Run>empty().add("started", "started_at", r -> r.startedAt().substring(0, 10),
                Run::startedAt);
        List<Run> one = List.of(new Run(1, "2026-12-07T04:00Z", 1));
        assertThat(columns.table(one).rows()).containsExactly(List.of("2026-12-07"));
        assertThat(columns.json(one)).containsExactly(Map.of("started_at", "2026-12-07T04:00Z"));
    }
}
