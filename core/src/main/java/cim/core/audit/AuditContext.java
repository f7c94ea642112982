package cim.core.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Who acts and from where, the same for every event of one cim process: the actor (--actor, default the OS user),
 * the OS user, the host, and the command line with its secrets already masked.
 */
public record AuditContext(String actor, String osUser, String host, String commandLine) {
    public AuditContext {
        Objects.requireNonNull(actor);
        Objects.requireNonNull(osUser);
        Objects.requireNonNull(host);
    }

    public static AuditContext of(String actor, String commandLine) {
        return new AuditContext(actor, System.getProperty("user.name"), hostName(), commandLine);
    }

    /** The host name without a DNS lookup (which can take seconds on a badly configured machine). */
    static String hostName() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        try {
            return Files.readString(Path.of("/etc/hostname")).strip();
        } catch (Exception e) {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (Exception unknown) {
                return "unknown";
            }
        }
    }
}
