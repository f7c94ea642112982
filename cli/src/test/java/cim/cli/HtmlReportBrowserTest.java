package cim.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTML quality report in a real headless browser (Chromium from the Debian packages, with fonts-noto-cjk for
 * the Chinese text; .ci/run installs both and runs this with -Pbrowser): it loads without an error or a refused load
 * (a control page's refused image shows that such a refusal would be seen), the screenshot is not blank, and the
 * numbers of the page as the browser built it equal the JSON report's. With -Dcim.approve=true it also writes the
 * screenshot of the demo's report to docs/quality-report.png.
 */
class HtmlReportBrowserTest {
    private static final String CHROMIUM = System.getenv().getOrDefault("CIM_TEST_CHROMIUM", "chromium");

    @Test
    void theReportLoadsCleanlyShowsItsChartsAndItsNumbersAreTheJsonReports(@TempDir Path dir) throws Exception {
        HtmlReportTest.Page page = HtmlReportTest.Page.made(dir);

        Browser dom = browse(dir, "--dump-dom", page.file());
        assertThat(errors(dom.log())).as(dom.log()).isEmpty();
        page.assertMatches(dom.out());

        Path png = dir.resolve("report.png");
        Browser shot = browse(dir, "--screenshot=" + png, page.file());
        assertThat(errors(shot.log())).as(shot.log()).isEmpty();
        assertNotBlank(png);

        // the control: a page of the same policy that tries to load an image is seen refusing it
        Path control = Files.writeString(dir.resolve("control.html"), page.html().replace("</body>",
                "<img src=\"https://example.com/tracker.png\"></body>"));
        assertThat(errors(browse(dir, "--dump-dom", control).log())).isNotEmpty();
    }

    @Test
    void theDemosReportAsADocsScreenshot(@TempDir Path dir) throws Exception {
        CliRunner cim = new CliRunner(dir);
        cim.require("-q", "demo");
        CliRunner demo = cim.with("CIM_HOME", Path.of(cim.env().get("CIM_HOME")).resolve("demo").toString());
        Path report = dir.resolve("demo-report.html");
        demo.run("quality", "check", "--scope", "source", "--format", "html", "--out", report.toString());
        Path png = dir.resolve("demo-report.png");
        Browser shot = browse(dir, "--screenshot=" + png, report, 3550);
        assertThat(errors(shot.log())).as(shot.log()).isEmpty();
        assertNotBlank(png);
        if (HelpGoldenTest.APPROVE) {
            Files.copy(png, Path.of("..", "docs", "quality-report.png"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private record Browser(String out, String log) { }

    private static Browser browse(Path dir, String what, Path page) throws IOException, InterruptedException {
        return browse(dir, what, page, 2200);
    }

    /** @param height the window's, which a screenshot shows (the whole demo report: 3550) */
    private static Browser browse(Path dir, String what, Path page, int height) throws IOException,
            InterruptedException {
        List<String> command = new ArrayList<>(List.of(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--window-size=1200," + height, "--enable-logging=stderr", "--v=0",
                "--user-data-dir=" + dir.resolve("chromium-profile"), what, page.toUri().toString()));
        Path out = dir.resolve("browser.out");
        Path log = dir.resolve("browser.log");
        Process browser;
        try {
            browser = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(log.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("no Chromium to open the report in (apt-get install chromium fonts-noto-cjk, "
                    + "or CIM_TEST_CHROMIUM=PATH)", e);
        }
        assertThat(browser.waitFor(2, TimeUnit.MINUTES)).isTrue();
        String logged = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(browser.exitValue()).as(logged).isZero();
        return new Browser(Files.readString(out, StandardCharsets.UTF_8), logged);
    }

    /** What the page itself caused: console messages (a refused load, a script error), not Chromium's own chatter. */
    private static List<String> errors(String log) {
        return log.lines().filter(line -> line.contains(":CONSOLE") || line.contains("Refused to")
                || line.contains("Uncaught")).toList();
    }

    /** Not blank: a good share of the page drawn, in many colours. */
    private static void assertNotBlank(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        long drawn = 0;
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                if ((rgb & 0xff) < 235 || ((rgb >> 8) & 0xff) < 235 || ((rgb >> 16) & 0xff) < 235) {
                    drawn++;
                }
            }
        }
        long sampled = (long) (image.getWidth() / 2) * (image.getHeight() / 2);
        assertThat(drawn * 100 / sampled).as("percent of the screenshot drawn").isGreaterThan(3);
        assertThat(colours.size()).as("colours in the screenshot").isGreaterThan(20);
    }
}
