package jp.tsunagu.admin;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for a listener of another process whose port must be written down before it starts (a
 * configuration file). A port the operating system chose with bind(0) and that was closed again lies in
 * its ephemeral range, from which every outgoing connection of the machine takes its local port: one
 * could take it before the other process binds it. A port outside that range is taken only by a program
 * that binds it by number.
 */
public final class LoopbackPorts {

    /** Below this lie the ports of common local services (databases, dev servers, Hazelcast's 5701). */
    private static final int LOWEST = 10_000;
    private static final int HIGHEST = 65_535;
    /** The range IANA gives to ephemeral ports, for systems that do not say which they use. */
    private static final Range IANA_EPHEMERAL = new Range(49_152, 65_535);
    private static final int ATTEMPTS = 100;

    /** Ports {@code first} to {@code last}, both included. */
    public record Range(int first, int last) {
        /** @return how many ports the range holds */
        public int size() {
            return last - first + 1;
        }

        /** @return whether the range holds {@code port} */
        public boolean contains(int port) {
            return port >= first && port <= last;
        }
    }

    private LoopbackPorts() {
    }

    /** @return the operating system's ephemeral range: Linux says it in /proc; elsewhere IANA's range is assumed */
    public static Range ephemeral() {
        Path file = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        try {
            // Read by lines: Files.readString trusts the size /proc reports and returned "3" of "32768 60999".
            String[] bounds = String.join(" ", Files.readAllLines(file)).trim().split("\\s+");
            return new Range(Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1]));
        } catch (IOException | RuntimeException e) {
            return IANA_EPHEMERAL;
        }
    }

    /** @return the larger side of {@code ephemeral} between port 10000 and 65535 */
    public static Range outside(Range ephemeral) {
        Range below = new Range(LOWEST, ephemeral.first() - 1);
        Range above = new Range(Math.max(LOWEST, ephemeral.last() + 1), HIGHEST);
        return below.size() >= above.size() ? below : above;
    }

    /**
     * @return a loopback port free right now, at random outside the ephemeral range
     * @throws IOException when none of a hundred tried was free
     */
    public static int freeOutsideEphemeral() throws IOException {
        Range outside = outside(ephemeral());
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = outside.first() + ThreadLocalRandom.current().nextInt(outside.size());
            if (isFree(port)) {
                return port;
            }
        }
        throw new IOException("no free loopback port among " + ATTEMPTS + " tried in " + outside);
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
