package cim.core.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * H2's server mode, which lets several processes share an H2 file named with {@code --db jdbc:h2:...}: it listens on
 * loopback only, and serves only the random key in the lock file of the (0700) home, so someone on the machine who
 * knows where the file is, and H2's empty default password, still cannot open the database through it. The embedded
 * default runs no server at all: cim runs take turns on it.
 */
class EmbeddedServerTest {

    @Test
    void theEmbeddedDefaultRunsNoServerAndWritesNoLockFile(@TempDir Path home) {
        try (Database db = Database.open(DatabaseTarget.parse(null, home), new Credentials(null, null), null)) {
            db.dsl().fetch("SELECT 1");
            assertThat(home.resolve("cim.lock.db")).as("H2's lock file, which names its server").doesNotExist();
        }
    }

    @Test
    void theServerServesOnlyItsKeyAndOnlyOnLoopback(@TempDir Path home) throws Exception {
        DatabaseTarget target = DatabaseTarget.parse("jdbc:h2:file:" + home.resolve("cim").toAbsolutePath(), home);
        try (Database db = Database.open(target, new Credentials(null, null), null)) {
            db.dsl().fetch("SELECT 1");
            Properties lock = new Properties();
            try (InputStream in = Files.newInputStream(home.resolve("cim.lock.db"))) {
                lock.load(in);
            }
            String server = lock.getProperty("server");
            assertThat(server).as("the lock file names the server").isNotNull();
            int port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));

            String byPath = "jdbc:h2:tcp://127.0.0.1:" + port + "/" + home.resolve("cim").toAbsolutePath();
            assertThatThrownBy(() -> DriverManager.getConnection(byPath, "", "").close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("Wrong user name or password");

            for (InetAddress address : externalAddresses()) {
                assertThatThrownBy(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(address, port), 2000);
                    }
                }).as("the server on " + address).isInstanceOf(IOException.class);
            }
        }
    }

    /** The machine's IPv4 addresses other than loopback (none in some containers: then only the key is tested). */
    private static List<InetAddress> externalAddresses() throws IOException {
        return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .toList();
    }
}
