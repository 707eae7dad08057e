package io.qgate.engine.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@link FuzzCampaign} finds the targets it fuzzes, and the corpus each starts from. */
class FuzzCampaignTargetsTest {
    private static final Path FUZZ = Path.of("target", "fuzz");
    private static final Path CORPUS = Path.of("src", "test", "fuzz-corpus");
    /** "a few hundred KiB in all": the kept corpus is minimised, not a dump of everything found. */
    private static final long CORPUS_BYTES_LIMIT = 512 * 1024;

    @Test
    void findsEveryFuzzTestOfEveryPackageInNameOrder() throws IOException, URISyntaxException {
        List<String> ids = ids(FuzzCampaign.targets(testClasses(), FUZZ, CORPUS, ""));
        assertTrue(ids.containsAll(List.of("HandshakeBodyFuzzTest#initiation", "FragmentFuzzTest#reassembler",
            "ControlDatagramFuzzTest#cookieReply", "TrustFuzzTest#certificate", "DataPacketFuzzTest#keypairOpen",
            "EndpointFuzzTest#receive", "TunOffloadFuzzTest#segmenter", "TunOffloadFuzzTest#coalescer")), ids.toString());
        assertEquals(20, ids.size(), ids.toString());
        assertEquals(ids.stream().distinct().toList(), ids);
    }

    @Test
    void keepsOnlyTargetsMatchingAPartOfTheFilter() throws IOException, URISyntaxException {
        List<FuzzTargetProcess> targets = FuzzCampaign.targets(testClasses(), FUZZ, CORPUS, "TrustFuzzTest#cert, #receive");
        assertEquals(List.of("EndpointFuzzTest#receive", "TrustFuzzTest#certificate"), ids(targets));
        assertEquals(FUZZ.resolve("TrustFuzzTest.certificate"), targets.get(1).workDirectory());
    }

    @Test
    void eachTargetsCorpusIsJazzersInputsDirectoryUnderTheCorpusRoot() throws IOException, URISyntaxException {
        FuzzTargetProcess target = FuzzCampaign.targets(testClasses(), FUZZ, CORPUS, "TrustFuzzTest#cert").getFirst();
        assertEquals(CORPUS.resolve(Path.of("io", "qgate", "engine", "trust", "TrustFuzzTestInputs", "certificate")),
            target.corpus());
        assertEquals(Path.of(System.getProperty("user.dir"), "src", "test", "fuzz-corpus"),
            FuzzCampaign.corpusRoot(testClasses()));
    }

    @Test
    void everyTargetHasANonEmptyCorpusInTheRepositoryOfAFewHundredKibAtMost() throws IOException, URISyntaxException {
        Path root = FuzzCampaign.corpusRoot(testClasses());
        long bytes = 0;
        List<String> empty = new ArrayList<>();
        for (FuzzTargetProcess target : FuzzCampaign.targets(testClasses(), FUZZ, root, "")) {
            List<Path> files = Files.isDirectory(target.corpus()) ? FuzzTargetProcess.files(target.corpus()) : List.of();
            if (files.isEmpty()) {
                empty.add(target.id());
            }
            bytes += FuzzTargetProcess.bytes(files);
        }
        assertEquals(List.of(), empty, "targets without a corpus in " + root + ": run scripts/fuzz-long --targets ...");
        assertTrue(bytes <= CORPUS_BYTES_LIMIT, root + " holds " + bytes + " bytes; minimise it (scripts/fuzz-long)");
    }

    @Test
    void theKeptCorpusIsOnTheTestClassPathSoTheRegressionRunReplaysIt() throws IOException, URISyntaxException {
        FuzzTargetProcess target = FuzzCampaign.targets(testClasses(), FUZZ, FuzzCampaign.corpusRoot(testClasses()),
            "ControlDatagramFuzzTest#cookieReply").getFirst();
        Path kept = FuzzTargetProcess.files(target.corpus()).getFirst();
        String resource = "io/qgate/engine/protocol/ControlDatagramFuzzTestInputs/cookieReply/" + kept.getFileName();
        try (InputStream onClassPath = FuzzCampaignTargetsTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertNotNull(onClassPath, resource + " is not on the test class path (gateway-engine pom, testResources)");
            assertArrayEquals(Files.readAllBytes(kept), onClassPath.readAllBytes());
        }
    }

    @Test
    void theCampaignStartsEachTargetFromItsGrownCorpusThenTheKeptOne() throws IOException, URISyntaxException {
        FuzzTargetProcess target = FuzzCampaign.targets(testClasses(), FUZZ, FuzzCampaign.corpusRoot(testClasses()),
            "EndpointFuzzTest#receive").getFirst();
        List<String> command = target.command(List.of("--enable-native-access=ALL-UNNAMED"), List.of(Path.of("cp")), 7);
        int main = command.indexOf(FuzzTargetMain.class.getName());
        assertEquals(List.of("io.qgate.engine.control.EndpointFuzzTest", "receive", "7",
            FUZZ.resolve("EndpointFuzzTest.receive").resolve("corpus").toString(), target.corpus().toString()),
            command.subList(main + 1, command.size()));
    }

    @Test
    void aCorpusDirectoryThatDoesNotExistIsLeftOutOfTheCommand() {
        FuzzTargetProcess target = new FuzzTargetProcess("a.BFuzzTest", "m", FUZZ.resolve("BFuzzTest.m"),
            Path.of("no", "such", "corpus"));
        List<String> command = target.command(List.of(), List.of(Path.of("cp")), 1);
        assertFalse(command.contains(target.corpus().toString()), command.toString());
        assertEquals(target.grownCorpus().toString(), command.getLast());
    }

    private static List<String> ids(List<FuzzTargetProcess> targets) {
        return targets.stream().map(FuzzTargetProcess::id).toList();
    }

    private static Path testClasses() throws URISyntaxException {
        return Path.of(FuzzCampaign.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
