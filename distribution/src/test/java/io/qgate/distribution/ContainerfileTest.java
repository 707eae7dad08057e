package io.qgate.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * packaging/container/Containerfile, read as text: no container engine runs where these tests run,
 * so the image is never built here (docs/INSTALL.md says so).
 */
class ContainerfileTest {
    static final Path CONTAINERFILE = Command.root().resolve("packaging/container/Containerfile");

    @Test
    void buildsWithAJdkAndRunsOnDebianSlimWithoutOne() throws Exception {
        List<String> from = instructions("FROM");
        assertEquals(2, from.size(), from.toString());
        assertTrue(from.get(0).matches(".*eclipse-temurin:25-jdk AS build"), from.get(0));
        assertEquals("docker.io/library/debian:12-slim", from.get(1));
        String runStage = Files.readString(CONTAINERFILE).split("\nFROM ")[2];
        assertFalse(runStage.toLowerCase().matches("(?s).*(openjdk|temurin|default-jdk|default-jre).*"), runStage);
        assertTrue(runStage.contains("COPY --from=build /opt/qgate-dist /opt/qgate"), runStage);
        assertTrue(runStage.contains("libssl3"), "the run stage does not install libcrypto (libssl3)");
    }

    @Test
    void buildStageMakesTheDistributionWithScriptsDist() throws Exception {
        assertTrue(instructions("RUN").stream().anyMatch(r -> r.startsWith("scripts/dist --output ")), instructions("RUN").toString());
        assertEquals(List.of("[\"/opt/qgate/bin/qgate\"]"), instructions("ENTRYPOINT"));
    }

    /** The arguments of every {@code keyword} instruction, continuation lines joined. */
    private static List<String> instructions(String keyword) throws Exception {
        String text = Files.readString(CONTAINERFILE).replaceAll("\\\\\n\\s*", "");
        return text.lines().filter(l -> l.startsWith(keyword + " ")).map(l -> l.substring(keyword.length() + 1).strip()).toList();
    }
}
