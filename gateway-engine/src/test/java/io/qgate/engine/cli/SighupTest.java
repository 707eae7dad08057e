package io.qgate.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code qgate up} reloads on SIGHUP, and says so when it cannot because the process was started
 * with SIGHUP ignored (as under nohup). Each case in a JVM of its own, started by a shell that
 * sets the disposition the JVM inherits.
 */
class SighupTest {
    @Test
    void aHandledSighupRunsTheAction() throws Exception {
        String out = probe("");
        assertTrue(out.contains("installed: true"), out);
        assertTrue(out.contains("reloaded"), out);
    }

    @Test
    void anIgnoredSighupIsReportedAndLeftAlone() throws Exception {
        String out = probe("trap '' HUP; ");
        assertTrue(out.contains("installed: false"), out);
        assertTrue(out.contains("still alive"), out);
    }

    private static String probe(String shellPrefix) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = shellPrefix + "exec '" + java + "' -cp '" + System.getProperty("java.class.path") + "' '"
            + Probe.class.getName() + "'"; // quoted: the nested class's name has a '$'
        Process process = new ProcessBuilder(List.of("sh", "-c", command)).redirectErrorStream(true).start();
        try {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the probe did not finish in 60 s");
            assertEquals(0, process.exitValue(), out);
            return out;
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** Installs the handler, sends itself SIGHUP, and prints what happened. */
    static final class Probe {
        public static void main(String[] args) throws Exception {
            java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(1);
            boolean installed = UpCommand.onSighup(ran::countDown);
            System.out.println("installed: " + installed);
            new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid())).start().waitFor();
            System.out.println(ran.await(installed ? 10 : 1, TimeUnit.SECONDS) ? "reloaded" : "still alive");
        }
    }
}
