package io.qgate.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
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
        String java = String.join("' '", CliRun.java(List.of(), Probe.class.getName()));
        // every word quoted: the nested class's name has a '$'
        CliRun run = CliRun.process(List.of("sh", "-c", shellPrefix + "exec '" + java + "'"));
        assertEquals(0, run.exit(), run.out());
        return run.out();
    }

    /** Installs the handler, raises SIGHUP in its own process, and prints what happened. */
    static final class Probe {
        public static void main(String[] args) throws Exception {
            CountDownLatch ran = new CountDownLatch(1);
            boolean installed = UpCommand.onSighup(ran::countDown);
            System.out.println("installed: " + installed);
            sun.misc.Signal.raise(new sun.misc.Signal("HUP"));
            System.out.println(ran.await(installed ? 10 : 1, TimeUnit.SECONDS) ? "reloaded" : "still alive");
        }
    }
}
