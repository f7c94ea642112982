package cim.cli.shell;

import cim.cli.Cli;
import cim.cli.ErrorHandler;
import cim.cli.Session;
import cim.core.db.DatabaseTarget;
import cim.core.io.PrivateFiles;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;
import picocli.shell.jline3.PicocliCommands;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** `cim shell`: an interactive shell over the same commands, with completion and history. */
@Command(name = ShellCommand.NAME, sortOptions = false,
        header = "Run cim commands interactively, with completion and history.",
        description = {"Type a command without the leading 'cim' (e.g. 'db status'); TAB completes commands and "
                + "options, the arrow keys walk the history (kept in the cim home). Global options given to "
                + "'cim shell' apply to every command in it. 'exit', 'quit' or Ctrl-D leaves."})
public final class ShellCommand implements Callable<Integer> {
    public static final String NAME = "shell";
    private static final String PROMPT = "cim> ";

    @Spec
    private CommandSpec spec;

    private InputStream in;
    private OutputStream out;

    /** Reads commands from a stream and writes to another instead of the terminal (tests, embedding). */
    public void useStreams(InputStream input, OutputStream output) {
        this.in = input;
        this.out = output;
    }

    @Override
    public Integer call() throws IOException {
        Session session = Session.of(spec);
        Path history = privateHistory(session.settings().home().resolve("shell_history"));
        try (Terminal terminal = terminal()) {
            PrintWriter writer = terminal.writer();
            CommandLine commands = Cli.childOf(session);
            commands.setOut(writer).setErr(writer);
            org.jline.reader.impl.completer.SystemCompleter completer = new PicocliCommands(commands).compileCompleters();
            completer.compile();
            LineReader reader = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .completer(completer)
                    .parser(new DefaultParser())
                    .variable(LineReader.HISTORY_FILE, history)
                    .history(new MaskedHistory())
                    .build();
            return loop(reader, commands);
        }
    }

    /** The history holds what was typed, passwords in URLs aside: its owner's alone (0600, in a 0700 home). */
    private static Path privateHistory(Path history) throws IOException {
        PrivateFiles.ownerOnlyDirectory(history.getParent());
        if (!java.nio.file.Files.exists(history)) {
            java.nio.file.Files.createFile(history);
        }
        PrivateFiles.ownerOnlyFile(history);
        return history;
    }

    /** Keeps a password typed into a --db URL out of the history file ('***' instead). */
    static final class MaskedHistory extends org.jline.reader.impl.history.DefaultHistory {
        @Override
        public void add(java.time.Instant time, String line) {
            super.add(time, DatabaseTarget.mask(line));
        }
    }

    private Terminal terminal() throws IOException {
        if (in == null) {
            return TerminalBuilder.builder().name("cim").system(true).dumb(true).build();
        }
        return TerminalBuilder.builder().name("cim").system(false).streams(in, out).type(Terminal.TYPE_DUMB)
                .build();
    }

    private static int loop(LineReader reader, CommandLine commands) {
        while (true) {
            String line;
            try {
                line = reader.readLine(PROMPT);
            } catch (UserInterruptException e) {
                continue;
            } catch (EndOfFileException e) {
                return 0;
            }
            List<String> words = reader.getParser().parse(line, line.length()).words().stream()
                    .filter(w -> !w.isEmpty()).toList();
            if (words.isEmpty()) {
                continue;
            }
            if (words.get(0).equals("exit") || words.get(0).equals("quit")) {
                return 0;
            }
            if (words.get(0).equals(NAME)) {
                ErrorHandler.reportLine(commands, "already in the cim shell", null);
                continue;
            }
            commands.execute(words.toArray(String[]::new));
        }
    }
}
