package cim.core.testing;

import cim.core.db.Backend;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The backends every database test runs on: {@code @ParameterizedTest @MethodSource("cim.core.testing.Backends#all")}.
 * Both by default; -Dcim.test.backends=h2 narrows it on a machine without PostgreSQL (CI never does).
 */
public final class Backends {
    private Backends() {
    }

    /** PostgreSQL alone, for what only it has (database roles and their privileges), unless narrowed away. */
    public static Stream<Backend> postgresql() {
        return all().filter(b -> b == Backend.POSTGRESQL);
    }

    public static Stream<Backend> all() {
        String chosen = System.getProperty("cim.test.backends", "h2,postgresql");
        return Arrays.stream(chosen.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(s -> Backend.valueOf(s.toUpperCase(Locale.ROOT)));
    }
}
