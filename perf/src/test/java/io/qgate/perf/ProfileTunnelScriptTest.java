package io.qgate.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code perf/bin/profile-tunnel}'s usage errors: each bad argument is refused with exit status
 * 2 and one line naming it, before anything is started (so these run anywhere, root or not).
 */
class ProfileTunnelScriptTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--seconds|3|--seconds must be 8 to 300, was 3",
        "--seconds|301|--seconds must be 8 to 300, was 301",
        "--seconds|soon|--seconds must be 8 to 300, was soon",
        "--bogus|1|unknown option --bogus",
        "--io|dpdk|--io is batched or io_uring, was dpdk",
    })
    void refusesABadArgumentWithOneLine(String option, String value, String message) {
        assertRefused(message, option, value);
    }

    @ParameterizedTest
    @CsvSource({"--seconds", "--out", "--io"})
    void refusesAnOptionWithoutItsValue(String option) {
        assertRefused(option + " needs a value", option);
    }

    /** The script, run with {@code args}, exits 2 with the one line {@code "profile-tunnel: " + message ...}. */
    private static void assertRefused(String message, String... args) {
        Path script = BenchOptions.findRepo(Path.of("").toAbsolutePath()).resolve("perf/bin/profile-tunnel");
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        ExternalCommand.Result r = ExternalCommand.run(ExternalCommand.SHORT, command.toArray(String[]::new));
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.stderr().startsWith("profile-tunnel: " + message), r.stderr());
        assertEquals(1, r.stderr().strip().lines().count(), r.stderr());
    }
}
