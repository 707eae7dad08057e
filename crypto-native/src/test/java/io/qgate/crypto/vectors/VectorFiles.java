package io.qgate.crypto.vectors;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Locates and reads the third-party vectors in {@code ../shared/vectors} (beside the repository).
 *
 * <p>The build passes the folder as the system property {@code qgate.vectors.dir}. When it is
 * missing, tests are skipped with a message on a developer's machine and fail under CI
 * ({@code CI} set), so a CI run can never pass without having checked the vectors.
 */
public final class VectorFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    private VectorFiles() {
    }

    public static Path root() {
        String dir = System.getProperty("qgate.vectors.dir", "../../shared/vectors");
        Path root = Path.of(dir).toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            String message = "third-party vectors not found at " + root
                + ": clone the repository beside shared/ or set -Dqgate.vectors.dir";
            if (System.getenv("CI") != null) {
                fail(message);
            }
            assumeTrue(false, message);
        }
        return root;
    }

    /** Reads {@code relative} (for example {@code wycheproof/aes_gcm_test.json}) as JSON. */
    public static JsonNode read(String relative) {
        Path file = root().resolve(relative);
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read vector file " + file, e);
        }
    }

    /** Decodes a hex string of either case; an empty or absent string is an empty array. */
    public static byte[] hex(JsonNode node) {
        return node == null || node.isNull() ? new byte[0] : HEX.parseHex(node.asText().toLowerCase());
    }

    public static byte[] hex(String s) {
        return HEX.parseHex(s.toLowerCase());
    }
}
