package cim.cli;

import cim.core.Scope;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** The --scope value of quality check and export, read the same way by both. */
public final class ScopeOption {
    private ScopeOption() {
    }

    public static Scope parse(CommandSpec spec, String text) {
        Scope scope = Scope.parse(text);
        if (scope == null) {
            throw new ParameterException(spec.commandLine(), "--scope must be customer or source");
        }
        return scope;
    }
}
