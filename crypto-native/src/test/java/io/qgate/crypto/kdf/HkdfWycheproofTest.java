package io.qgate.crypto.kdf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import io.qgate.crypto.Backend;
import io.qgate.crypto.BackendUnavailableException;
import io.qgate.crypto.SecretBytes;
import io.qgate.crypto.vectors.VectorFiles;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Wycheproof HKDF vectors (RFC 5869, SHA-256 and SHA-384) through {@link Hkdf} on every backend
 * that offers HKDF. Valid vectors must give the exact OKM, both in one call and as extract then
 * expand; invalid ones (output longer than 255 * HashLen) must be rejected before any output.
 */
class HkdfWycheproofTest {
    private static final List<Backend> HKDF_BACKENDS = List.of(Backend.JDK, Backend.BOUNCY_CASTLE);

    @TestFactory
    List<DynamicTest> hkdfSha256() {
        return vectorTests("wycheproof/hkdf_sha256_test.json", HkdfHash.SHA256);
    }

    @TestFactory
    List<DynamicTest> hkdfSha384() {
        return vectorTests("wycheproof/hkdf_sha384_test.json", HkdfHash.SHA384);
    }

    @Test
    void rejectsBackendsWithoutHkdf() {
        for (Backend backend : List.of(Backend.OPENSSL, Backend.LIBOQS)) {
            BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> Hkdf.of(HkdfHash.SHA256, backend));
            assertTrue(e.getMessage().contains(backend.id()) && e.getMessage().contains("use jdk or bouncycastle"),
                e.getMessage());
        }
    }

    @Test
    void backendsAgreeOnEmptyInputKeyingMaterialAndEmptySalt() {
        for (HkdfHash hash : HkdfHash.values()) {
            try (SecretBytes ikm = SecretBytes.wrap(new byte[0]);
                 SecretBytes jdk = Hkdf.of(hash, Backend.JDK).extractAndExpand(new byte[0], ikm, new byte[0], 42);
                 SecretBytes bc = Hkdf.of(hash, Backend.BOUNCY_CASTLE).extractAndExpand(new byte[0], ikm, new byte[0], 42)) {
                assertEquals(42, jdk.length());
                assertArrayEquals(bc.bytes(), jdk.bytes(), hash.jcaName());
            }
        }
    }

    private static List<DynamicTest> vectorTests(String file, HkdfHash hash) {
        JsonNode root = VectorFiles.read(file);
        assertEquals(hash.jcaName().replace("HKDF-SHA", "HKDF-SHA-"), root.get("algorithm").asText());
        List<DynamicTest> tests = new ArrayList<>();
        for (Backend backend : HKDF_BACKENDS) {
            Hkdf hkdf = Hkdf.of(hash, backend);
            Tally tally = new Tally();
            for (JsonNode group : root.get("testGroups")) {
                for (JsonNode vector : group.get("tests")) {
                    String name = file + " tcId " + vector.get("tcId").asInt() + " [" + backend.id() + "]";
                    tests.add(dynamicTest(name, () -> runVector(hkdf, vector, tally)));
                }
            }
            int expected = root.get("numberOfTests").asInt();
            tests.add(dynamicTest(file + " summary [" + backend.id() + "]", () -> {
                System.out.println(file + " [" + backend.id() + "]: " + tally);
                assertEquals(expected, tally.total(), "every vector in " + file + " must have run");
            }));
        }
        return tests;
    }

    private static void runVector(Hkdf hkdf, JsonNode vector, Tally tally) {
        byte[] salt = VectorFiles.hex(vector.get("salt"));
        byte[] info = VectorFiles.hex(vector.get("info"));
        byte[] okm = VectorFiles.hex(vector.get("okm"));
        int size = vector.get("size").asInt();
        String result = vector.get("result").asText();
        try (SecretBytes ikm = SecretBytes.wrap(VectorFiles.hex(vector.get("ikm")))) {
            if (result.equals("invalid")) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> hkdf.extractAndExpand(salt, ikm, info, size));
                assertTrue(e.getMessage().contains("got " + size), e.getMessage());
                try (SecretBytes prk = hkdf.extract(salt, ikm)) {
                    assertThrows(IllegalArgumentException.class, () -> hkdf.expand(prk, info, size));
                }
                tally.invalidRejected++;
                return;
            }
            try (SecretBytes oneCall = hkdf.extractAndExpand(salt, ikm, info, size);
                 SecretBytes prk = hkdf.extract(salt, ikm);
                 SecretBytes twoSteps = hkdf.expand(prk, info, size)) {
                assertEquals(hkdf.hash().hashLength(), prk.length());
                assertArrayEquals(okm, oneCall.bytes());
                assertArrayEquals(okm, twoSteps.bytes());
            }
            if (result.equals("valid")) {
                tally.validOk++;
            } else {
                tally.acceptableOk++;
            }
        }
    }

    /** Per file and backend counts; the dynamic tests of one file run in order on one thread. */
    private static final class Tally {
        int validOk;
        int invalidRejected;
        int acceptableOk;

        int total() {
            return validOk + invalidRejected + acceptableOk;
        }

        @Override
        public String toString() {
            return validOk + " valid ok, " + invalidRejected + " invalid rejected, " + acceptableOk
                + " acceptable ok, 0 not applicable";
        }
    }
}
