package cim.cli.keys;

import cim.cli.Session;
import cim.cli.render.Table;
import cim.core.protect.Keyring;
import cim.core.protect.KeysetFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** `cim keys init --out F`: a new keyset file. */
@Command(name = KeysInitCommand.NAME, sortOptions = false,
        header = "Make a new keyset file (mode 0600) for a new central database.",
        description = "Refuses to overwrite an existing file (exit 73): a keyset that protects data must never be "
                + "lost. The database learns the keyset's key ids the first time a command uses it with --keyset.")
public final class KeysInitCommand implements Callable<Integer> {
    public static final String NAME = "init";

    @Spec
    private CommandSpec spec;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "the keyset file to create")
    private Path out;

    @Override
    public Integer call() {
        Keyring keyring = Keyring.generate();
        KeysetFile.create(out, keyring);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("file", out.toAbsolutePath().toString());
        data.put("encryption_key", keyring.primaryEncryptionKey());
        data.put("blind_index_key", keyring.blindIndexKey());
        Session.of(spec).output(spec).success(data, Table.keyValue().row("keyset", out.toAbsolutePath())
                .row("encryption key", keyring.primaryEncryptionKey())
                .row("blind-index key", keyring.blindIndexKey())
                .row("next", "back it up; then use it with --keyset " + out));
        return 0;
    }
}
