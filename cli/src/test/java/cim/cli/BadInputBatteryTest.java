package cim.cli;

import cim.core.db.Backend;
import cim.core.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad-input battery, as a user meets it: each file gets the exit code of the spec and, when refused, one ERROR
 * line naming the file (and the line and field where there is one) but never a cell's contents; a usable file with
 * bad rows is stored with those rows quarantined, each with its line and reason. (A repeated column, a directory, a
 * file declared GB18030 that is UTF-8: ImportCommandTest; rows repeating a key: there too; an unwritable output
 * directory and a full disk: DiskFullTest.)
 */
class BadInputBatteryTest {
    private static final String SECRET = "13812345678";
    private static final String HEADER = "source_key,name,mobile\n";

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void everyBadInputGetsItsExitAndAPlainError(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = ImportCommandTest.migratedWithKeyset(db);
            Path dir = db.directory();

            refused(cim, write(dir, "empty.csv", new byte[0]), 65, "empty.csv is empty");
            refused(cim, write(dir, "utf16.csv", concat(new byte[] {(byte) 0xFF, (byte) 0xFE},
                    (HEADER + "U1,张三," + SECRET + "\n").getBytes(StandardCharsets.UTF_16LE))), 65, "is UTF-16");
            refused(cim, write(dir, "utf16le.csv", (HEADER + "U2,Li Si," + SECRET + "\n").getBytes(
                    StandardCharsets.UTF_16LE)), 65, "is UTF-16 without a byte order mark");
            refused(cim, write(dir, "gb.csv", (HEADER + "G1,张三," + SECRET + "\n").getBytes(Charset.forName("GB18030"))),
                    65, "gb.csv is not valid UTF-8 at byte offset");
            byte[] binary = new byte[4096];
            for (int i = 0; i < binary.length; i++) {
                binary[i] = (byte) (i * 37);
            }
            refused(cim, write(dir, "binary.csv", binary), 65, "is not a text file: it holds NUL bytes");
            assertThat(rows(cim)).as("nothing stored by a refused file").isZero();

            CliRunner.Result headerOnly = cim.run("import", write(dir, "header.csv", HEADER).toString(), "--source",
                    "t");
            assertThat(headerOnly.exit()).as(headerOnly.toString()).isZero();
            assertThat(headerOnly.err()).contains("header.csv holds no rows (a header at most)");

            // a UTF-8 byte order mark, CRLF line ends, the key in the last column: read as it is meant
            Path bom = write(dir, "bom.csv", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                    "name,mobile,source_key\r\n李四,13800000002,B1\r\n王五,13800000003,B2\r\n".getBytes(
                            StandardCharsets.UTF_8)));
            cim.require("import", bom.toString(), "--source", "t");
            cim.require("codes", "assign");
            assertThat(cim.require("codes", "xref", "-o", "csv").out()).contains("t,B1,").contains("t,B2,")
                    .doesNotContain("\r\n,");

            // rows that cannot be used are quarantined with line and reason; the file's good rows are stored
            Path rejects = dir.resolve("rejects.csv");
            String bad = HEADER
                    + "R1,赵六," + SECRET + ",extra\n"         // line 2: a column too many
                    + "R2,钱七\n"                                // line 3: a column short
                    + "R3,孙八,138\u00000010\n"                  // line 4: a NUL byte in mobile
                    + "R4,周九,13800000004\n"                    // line 5: good
                    + "R5,\"吴十," + SECRET + "\n";              // line 6: a quote never closed, to the end
            CliRunner.Result mixed = cim.run("import", write(dir, "mixed.csv", bad).toString(), "--source", "t",
                    "--rejects", rejects.toString(), "-o", "json");
            assertThat(mixed.exit()).as(mixed.toString()).isZero();
            assertThat(mixed.out()).contains("\"read\":5,\"accepted\":1,\"rejected\":4");
            List<String> reasons = Files.readAllLines(rejects);
            assertThat(reasons).anyMatch(l -> l.contains("mixed.csv\",2,\"wrong number of columns: 4 where the "
                    + "header has 3\""));
            assertThat(reasons).anyMatch(l -> l.contains("mixed.csv\",3,\"wrong number of columns: 2"));
            assertThat(reasons).anyMatch(l -> l.contains("mixed.csv\",4,\"mobile holds a NUL character"));
            assertThat(reasons).anyMatch(l -> l.contains("mixed.csv\",6,\"a quote opened in this row is never closed"));
            assertThat(String.join("\n", reasons)).as("tier-1 values are not in the rejects").doesNotContain(SECRET);

            // JSON Lines of the wrong shape
            Path shape = write(dir, "shape.jsonl", "{\"source_key\":\"J1\",\"name\":[\"x\"]}\n"
                    + "{\"source_key\":\"J2\",\"name\":\"好\",\"policies\":\"notarray\"}\n[1,2]\n\"text\"\n{broken\n"
                    + "{\"source_key\":\"J3\",\"name\":\"郑一\"}\n");
            Path shapeRejects = dir.resolve("shape-rejects.csv");
            CliRunner.Result json = cim.run("import", shape.toString(), "--source", "t", "--rejects",
                    shapeRejects.toString(), "-o", "json");
            assertThat(json.exit()).as(json.toString()).isZero();
            assertThat(json.out()).contains("\"read\":6,\"accepted\":1,\"rejected\":5");
            assertThat(Files.readString(shapeRejects)).contains("shape.jsonl\",1,\"name must be a text or a number, "
                    + "not an array\"").contains("shape.jsonl\",2,\"policies must be an array or object")
                    .contains("shape.jsonl\",3,\"a line must be one JSON object\"").contains("shape.jsonl\",5,");

            // bad mapping files: exit 78 naming the file (and line)
            Path csv = write(dir, "mapped.csv", "编号,姓名\nM1,王二\n");
            mapping(cim, csv, write(dir, "arrow.map", "编号 => source_key\n"), "arrow.map:1: expected 'header = field'");
            mapping(cim, csv, write(dir, "field.map", "编号 = no_such_field\n"), "field.map:1: expected");
            mapping(cim, csv, write(dir, "binary.map", new byte[] {(byte) 0xC3, 0x28, 0x0A}), "binary.map is not "
                    + "UTF-8 text");
            mapping(cim, csv, dir.resolve("missing.map"), "missing.map: no such file");

            // bad config: exit 78 naming the file, line and key; a line without '=' is not echoed (it may be a secret)
            Path config = Path.of(cim.env().get("XDG_CONFIG_HOME"), "cim", "cim.conf");
            Files.createDirectories(config.getParent());
            Files.writeString(config, "no_such_key = 1\n");
            CliRunner.Result unknown = cim.run("db", "status");
            assertThat(unknown.exit()).isEqualTo(ExitCode.CONFIGURATION.code());
            assertThat(unknown.err()).startsWith("ERROR: " + config + ":1: unknown key 'no_such_key'");
            Files.writeString(config, "# settings\ndb.password s3cr3t-Pa55\n");
            CliRunner.Result noEquals = cim.run("db", "status");
            assertThat(noEquals.exit()).isEqualTo(ExitCode.CONFIGURATION.code());
            assertThat(noEquals.err()).startsWith("ERROR: " + config + ":2: expected key = value")
                    .doesNotContain("s3cr3t");
            Files.delete(config);
            assertThat(rows(cim)).as("the stored rows: bom.csv's 2, mixed.csv's 1, shape.jsonl's 1").isEqualTo(4);
        }
    }

    private static void refused(CliRunner cim, Path file, int exit, String says) {
        CliRunner.Result result = cim.run("import", file.toString(), "--source", "t");
        assertThat(result.exit()).as(file + ": " + result).isEqualTo(exit);
        List<String> errors = result.err().lines().filter(l -> l.startsWith("ERROR:")).toList();
        assertThat(errors).as(file.toString()).singleElement().asString().contains(file.toString()).contains(says)
                .doesNotContain(SECRET).doesNotContain("张三");
    }

    private static void mapping(CliRunner cim, Path csv, Path mapping, String says) {
        CliRunner.Result result = cim.run("import", csv.toString(), "--source", "t", "--mapping", mapping.toString());
        assertThat(result.exit()).as(mapping + ": " + result).isEqualTo(ExitCode.CONFIGURATION.code());
        assertThat(result.err()).as(mapping.toString()).startsWith("ERROR: ").contains(says);
    }

    private static long rows(CliRunner cim) {
        String status = cim.require("db", "status", "-o", "json").out();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"source_record\":(\\d+)").matcher(status);
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static Path write(Path dir, String name, String text) throws java.io.IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static Path write(Path dir, String name, byte[] bytes) throws java.io.IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
