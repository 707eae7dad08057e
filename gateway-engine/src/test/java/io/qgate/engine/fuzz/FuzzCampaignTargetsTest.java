package io.qgate.engine.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@link FuzzCampaign} finds the targets it fuzzes. */
class FuzzCampaignTargetsTest {
    private static final Path FUZZ = Path.of("target", "fuzz");

    @Test
    void findsEveryFuzzTestOfEveryPackageInNameOrder() throws IOException, URISyntaxException {
        List<String> ids = ids(FuzzCampaign.targets(testClasses(), FUZZ, ""));
        assertTrue(ids.containsAll(List.of("HandshakeBodyFuzzTest#initiation", "FragmentFuzzTest#reassembler",
            "ControlDatagramFuzzTest#cookieReply", "TrustFuzzTest#certificate", "DataPacketFuzzTest#keypairOpen",
            "EndpointFuzzTest#receive")), ids.toString());
        assertEquals(18, ids.size(), ids.toString());
        assertEquals(ids.stream().distinct().toList(), ids);
    }

    @Test
    void keepsOnlyTargetsMatchingAPartOfTheFilter() throws IOException, URISyntaxException {
        List<FuzzTargetProcess> targets = FuzzCampaign.targets(testClasses(), FUZZ, "TrustFuzzTest#cert, #receive");
        assertEquals(List.of("EndpointFuzzTest#receive", "TrustFuzzTest#certificate"), ids(targets));
        assertEquals(FUZZ.resolve("TrustFuzzTest.certificate"), targets.get(1).workDirectory());
    }

    private static List<String> ids(List<FuzzTargetProcess> targets) {
        return targets.stream().map(FuzzTargetProcess::id).toList();
    }

    private static Path testClasses() throws URISyntaxException {
        return Path.of(FuzzCampaign.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
