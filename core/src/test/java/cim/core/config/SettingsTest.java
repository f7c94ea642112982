package cim.core.config;

import cim.core.CimException;
import cim.core.Failure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {
    @TempDir
    Path dir;

    private Path config(String text) throws IOException {
        return Files.writeString(dir.resolve("cim.conf"), text);
    }

    @Test
    void flagBeatsEnvironmentBeatsFileBeatsDefault() throws IOException {
        Path file = config("# central database\ndb.url = jdbc:postgresql://file/cim\nactor = from-file\n"
                + "db.user=file-user\n");
        Map<String, String> env = Map.of("CIM_CONFIG", file.toString(), "CIM_ACTOR", "from-env",
                "CIM_DB_URL", "jdbc:postgresql://env/cim");
        Settings settings = Settings.resolve(Map.of(Setting.DB_URL, "jdbc:postgresql://flag/cim"), env);

        assertThat(settings.text(Setting.DB_URL)).isEqualTo("jdbc:postgresql://flag/cim");
        assertThat(settings.origin(Setting.DB_URL)).isEqualTo("flag --db");
        assertThat(settings.actor()).isEqualTo("from-env");
        assertThat(settings.text(Setting.DB_USER)).isEqualTo("file-user");
        assertThat(settings.origin(Setting.DB_USER)).isEqualTo(file + ":4 (db.user)");
        assertThat(settings.text(Setting.OUTPUT)).isEqualTo("table");
        assertThat(settings.origin(Setting.OUTPUT)).isEqualTo("default");
    }

    @Test
    void theDefaultConfigFileFollowsXdg() throws IOException {
        Files.createDirectories(dir.resolve("cim"));
        Files.writeString(dir.resolve("cim/cim.conf"), "output = json\n");
        Settings settings = Settings.resolve(Map.of(), Map.of("XDG_CONFIG_HOME", dir.toString()));
        assertThat(settings.text(Setting.OUTPUT)).isEqualTo("json");
        assertThat(Settings.resolve(Map.of(), Map.of("XDG_CONFIG_HOME", dir.resolve("none").toString()))
                .text(Setting.OUTPUT)).isEqualTo("table");
    }

    @Test
    void aBadLineIsNamedWithFileAndLine() throws IOException {
        Path file = config("actor = me\n\ndb.urll = x\n");
        assertThatThrownBy(() -> Settings.resolve(Map.of(Setting.CONFIG, file.toString()), Map.of()))
                .isInstanceOfSatisfying(CimException.class, e -> {
                    assertThat(e.failure()).isEqualTo(Failure.CONFIGURATION);
                    assertThat(e.getMessage()).isEqualTo(file + ":3: unknown key 'db.urll'");
                    assertThat(e.hint()).contains("db.url");
                });
        Path noEquals = config("db.url\n");
        assertThatThrownBy(() -> Settings.resolve(Map.of(Setting.CONFIG, noEquals.toString()), Map.of()))
                .hasMessageContaining(":1: expected key = value");
    }

    @Test
    void aMissingNamedConfigFileIsAnError() {
        assertThatThrownBy(() -> Settings.resolve(Map.of(), Map.of("CIM_CONFIG", dir.resolve("nope").toString())))
                .isInstanceOfSatisfying(CimException.class,
                        e -> assertThat(e.getMessage()).contains("nope").contains("does not exist"));
    }

    @Test
    void aBadValueNamesTheSettingAndWhereItCameFrom() throws IOException {
        Path file = config("output = yaml\n");
        assertThatThrownBy(() -> Settings.resolve(Map.of(Setting.CONFIG, file.toString()), Map.of()))
                .isInstanceOfSatisfying(CimException.class, e -> {
                    assertThat(e.getMessage()).contains("--output").contains("'yaml'").contains(file + ":1");
                    assertThat(e.hint()).contains("table, json, csv");
                });
        assertThatThrownBy(() -> Settings.resolve(Map.of(), Map.of("CIM_QUIET", "maybe")))
                .hasMessageContaining("CIM_QUIET");
    }

    @Test
    void noColorFollowsTheConvention() {
        assertThat(Settings.resolve(Map.of(), Map.of("NO_COLOR", "anything")).flag(Setting.NO_COLOR)).isTrue();
        assertThat(Settings.resolve(Map.of(), Map.of()).flag(Setting.NO_COLOR)).isFalse();
        assertThat(Settings.resolve(Map.of(), Map.of("CIM_QUIET", "yes")).flag(Setting.QUIET)).isTrue();
    }

    @Test
    void everySettingHasDistinctFlagEnvAndKey() {
        Set<String> flags = Stream.of(Setting.values()).map(Setting::flag).collect(Collectors.toSet());
        Set<String> envs = Stream.of(Setting.values()).map(Setting::envVar).collect(Collectors.toSet());
        assertThat(flags).hasSize(Setting.values().length);
        assertThat(envs).hasSize(Setting.values().length);
        assertThat(Stream.of(Setting.values()).filter(s -> s.key() != null))
                .allSatisfy(s -> assertThat(Setting.byKey(s.key())).contains(s));
    }
}
