package io.qgate.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
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
    })
    void refusesABadArgumentWithOneLine(String option, String value, String message) {
        Path repo = BenchOptions.findRepo(Path.of("").toAbsolutePath());
        ExternalCommand.Result r = ExternalCommand.run(ExternalCommand.SHORT, "bash",
            repo.resolve("perf/bin/profile-tunnel").toString(), option, value);
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.stderr().startsWith("profile-tunnel: " + message), r.stderr());
        assertEquals(1, r.stderr().strip().lines().count(), r.stderr());
    }
}
