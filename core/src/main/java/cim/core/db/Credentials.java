package cim.core.db;

import cim.core.config.Setting;
import cim.core.config.Settings;
import cim.core.io.PrivateFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The database login. The password never comes from the command line: a password file, then the
 * CIM_DB_PASSWORD variable (for CI), else none is sent and the PostgreSQL driver reads ~/.pgpass itself.
 */
public record Credentials(String user, String password) {
    public static final String PASSWORD_ENV = "CIM_DB_PASSWORD";

    public static Credentials from(Settings settings) {
        String user = settings.text(Setting.DB_USER);
        Path file = settings.path(Setting.DB_PASSWORD_FILE);
        if (file != null) {
            return new Credentials(user, readPasswordFile(settings, file));
        }
        String fromEnv = settings.env().get(PASSWORD_ENV);
        return new Credentials(user, fromEnv == null || fromEnv.isEmpty() ? null : fromEnv);
    }

    private static String readPasswordFile(Settings settings, Path file) {
        PrivateFiles.requireOwnerOnly(file, "--db-password-file");
        try {
            String content = Files.readString(file, StandardCharsets.UTF_8);
            return content.lines().findFirst().orElse("");
        } catch (IOException e) {
            throw settings.invalid(Setting.DB_PASSWORD_FILE, "cannot read " + file + " (" + e.getClass().getSimpleName()
                    + ")", "create the file with the password on its first line, readable only by you (chmod 600)");
        }
    }

    public Credentials withPassword(String newPassword) {
        return new Credentials(user, newPassword);
    }

    public boolean hasPassword() {
        return password != null;
    }

    @Override
    public String toString() {
        return "Credentials[user=" + user + ", password=" + (password == null ? "none" : "***") + "]";
    }

}
