package cim.core.protect;

import cim.core.audit.AuditContext;
import cim.core.audit.AuditTrail;
import cim.core.db.Credentials;
import cim.core.db.Database;
import cim.core.db.DatabaseTarget;

import java.nio.file.Files;
import java.nio.file.Path;

/** Run as a separate JVM by {@link ReclassificationKillTest}, which kills it part-way. */
public final class ReclassifyProcess {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        Keyring keyring = Keyring.fromJson(Files.readString(Path.of(args[1])), args[1]);
        Tier to = Tier.of(Integer.parseInt(args[2]));
        int batch = Integer.parseInt(args[3]);
        try (Database db = Database.open(DatabaseTarget.parse(url, Path.of(".")), new Credentials(null, null), null)) {
            new Reclassification(db.dsl(), new AuditTrail(AuditContext.of("killed", "test"), cim.core.testing.TestKeys.AUDIT))
                    .apply(CustomerField.POSTAL_CODE, to, "kill test", false, new FieldProtector(keyring), batch, n -> { });
        }
    }
}
