package cim.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** `cim completion bash|zsh|fish`: print the shell completion script. */
@Command(name = CompletionCommand.NAME, sortOptions = false,
        header = "Print the bash, zsh or fish completion script.",
        description = {"Load it for this shell with  source <(cim completion bash)  (or zsh; in fish,  cim "
                + "completion fish | source), or install the generated copy from completions/ (see README.md)."})
public final class CompletionCommand implements Callable<Integer> {
    public static final String NAME = "completion";

    /** The shells a completion script is made for. */
    public enum Shell { bash, zsh, fish }

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "bash, zsh or fish")
    private Shell shell;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(script(spec.root().commandLine(), shell));
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The script for a shell; picocli's bash script serves zsh too, through zsh's bashcompinit. */
    public static String script(picocli.CommandLine root, Shell shell) {
        if (shell == Shell.fish) {
            return FishCompletion.script(root);
        }
        String bash = AutoComplete.bash(CimCommand.NAME, root);
        if (shell == Shell.bash) {
            return bash;
        }
        return "#compdef cim\n# zsh completion for cim: source this file from ~/.zshrc "
                + "(it loads bashcompinit and registers the completion)\n" + bash;
    }
}
