package io.qgate.crypto.aead;

import static io.qgate.crypto.aead.AeadTestSupport.assertZero;
import static io.qgate.crypto.aead.AeadTestSupport.bytes;
import static io.qgate.crypto.aead.AeadTestSupport.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.qgate.crypto.Backend;
import io.qgate.crypto.SecretBytes;
import io.qgate.crypto.aead.AeadTestSupport.Kind;
import io.qgate.crypto.vectors.VectorFiles;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Wycheproof AEAD vectors through every backend and buffer kind.
 *
 * <p>Applicable vectors (256-bit key, 96-bit IV, 128-bit tag): a valid one must seal to exactly
 * its ct and tag and open back to its msg; an invalid one must be rejected by {@code open} with
 * {@link AeadAuthenticationException} and leave the buffer zeroed. Every other vector is "not
 * applicable": qgate's protocol fixes 32-byte keys and 12-byte nonces, so {@code create} must
 * reject the key or {@code seal} and {@code open} must reject the nonce with
 * {@link IllegalArgumentException}.
 *
 * <p>{@code xchacha20_poly1305_test.json} is not used: XChaCha20-Poly1305 (192-bit nonces) is
 * not an algorithm qgate offers.
 */
class AeadWycheproofTest {
    private static final HexFormat HEX = HexFormat.of();

    static Stream<Arguments> runs() {
        List<Arguments> runs = new ArrayList<>();
        for (var file : List.of(
                new Object[] {"wycheproof/aes_gcm_test.json", AeadAlgorithm.AES_256_GCM},
                new Object[] {"wycheproof/chacha20_poly1305_test.json", AeadAlgorithm.CHACHA20_POLY1305})) {
            for (Backend backend : AeadTestSupport.BACKENDS) {
                for (Kind kind : Kind.values()) {
                    runs.add(Arguments.of(file[0], file[1], backend, kind));
                }
            }
        }
        return runs.stream();
    }

    @ParameterizedTest(name = "{0} via {2}, {3}")
    @MethodSource("runs")
    void vectors(String file, AeadAlgorithm algorithm, Backend backend, Kind kind) {
        AeadTestSupport.assumeAvailable(backend);
        JsonNode root = VectorFiles.read(file);
        int valid = 0;
        int invalid = 0;
        int notApplicable = 0;
        int total = 0;
        List<String> failures = new ArrayList<>();

        for (JsonNode group : root.get("testGroups")) {
            int keyBits = group.get("keySize").asInt();
            int ivBits = group.get("ivSize").asInt();
            int tagBits = group.get("tagSize").asInt();
            for (JsonNode test : group.get("tests")) {
                total++;
                String id = "tcId " + test.get("tcId").asInt() + " " + test.get("flags");
                byte[] key = VectorFiles.hex(test.get("key"));
                byte[] iv = VectorFiles.hex(test.get("iv"));
                byte[] aad = VectorFiles.hex(test.get("aad"));
                byte[] msg = VectorFiles.hex(test.get("msg"));
                byte[] ct = VectorFiles.hex(test.get("ct"));
                byte[] tag = VectorFiles.hex(test.get("tag"));
                String result = test.get("result").asText();
                try {
                    if (keyBits != 256 || ivBits != 96 || tagBits != 128) {
                        assertNotApplicable(backend, algorithm, kind, key, iv, aad, msg, ct, tag);
                        notApplicable++;
                    } else if (result.equals("valid")) {
                        assertValid(backend, algorithm, kind, key, iv, aad, msg, ct, tag);
                        valid++;
                    } else if (result.equals("invalid")) {
                        assertRejected(backend, algorithm, kind, key, iv, aad, msg, ct, tag);
                        invalid++;
                    } else {
                        fail("unexpected result '" + result + "'");
                    }
                } catch (AssertionError | RuntimeException e) {
                    failures.add(id + ": " + e);
                }
            }
        }

        System.out.printf("wycheproof %s via %s, %s: %d tests: %d valid passed, %d invalid rejected,"
                + " %d not applicable (key not 256 bits or IV not 96 bits, rejected with IllegalArgumentException)%n",
            file, backend.id(), kind.id(), total, valid, invalid, notApplicable);
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + total + " vectors failed:\n" + String.join("\n", failures));
        }
        assertEquals(root.get("numberOfTests").asInt(), total, "every vector in the file was run");
        assertTrue(valid > 0 && invalid > 0, "the file has applicable valid and invalid vectors");
    }

    private static void assertValid(Backend backend, AeadAlgorithm algorithm, Kind kind, byte[] key, byte[] iv,
                                    byte[] aad, byte[] msg, byte[] ct, byte[] tag) {
        byte[] sealedExpected = concat(ct, tag);
        try (AeadCipher cipher = AeadTestSupport.cipher(backend, algorithm, key)) {
            MemorySegment buffer = kind.of(msg, msg.length + AeadAlgorithm.TAG_LENGTH);
            int n = cipher.seal(kind.of(iv), kind.of(aad), buffer, msg.length);
            assertEquals(sealedExpected.length, n, "seal length");
            assertEquals(HEX.formatHex(sealedExpected), HEX.formatHex(bytes(buffer, n)), "ct || tag");

            MemorySegment packet = kind.of(sealedExpected);
            int m = cipher.open(kind.of(iv), kind.of(aad), packet, sealedExpected.length);
            assertEquals(msg.length, m, "open length");
            assertEquals(HEX.formatHex(msg), HEX.formatHex(bytes(packet, m)), "msg");
        }
    }

    private static void assertRejected(Backend backend, AeadAlgorithm algorithm, Kind kind, byte[] key, byte[] iv,
                                       byte[] aad, byte[] msg, byte[] ct, byte[] tag) {
        byte[] packetBytes = concat(ct, tag);
        try (AeadCipher cipher = AeadTestSupport.cipher(backend, algorithm, key)) {
            MemorySegment packet = kind.of(packetBytes);
            try {
                cipher.open(kind.of(iv), kind.of(aad), packet, packetBytes.length);
                fail("open accepted an invalid packet");
            } catch (AeadAuthenticationException expected) {
                // rejected, as it must be
            }
            assertZero(packet, packetBytes.length, "after a rejected packet");
        }
    }

    private static void assertNotApplicable(Backend backend, AeadAlgorithm algorithm, Kind kind, byte[] key,
                                            byte[] iv, byte[] aad, byte[] msg, byte[] ct, byte[] tag) {
        if (key.length != AeadAlgorithm.KEY_LENGTH) {
            try (SecretBytes secret = SecretBytes.copyOf(key)) {
                Aeads.create(backend, algorithm, secret).close();
                fail("create accepted a " + key.length + "-byte key");
            } catch (IllegalArgumentException expected) {
                return;
            }
        }
        try (AeadCipher cipher = AeadTestSupport.cipher(backend, algorithm, key)) {
            MemorySegment buffer = kind.of(msg, msg.length + AeadAlgorithm.TAG_LENGTH);
            byte[] before = bytes(buffer, (int) buffer.byteSize());
            try {
                cipher.seal(kind.of(iv), kind.of(aad), buffer, msg.length);
                fail("seal accepted a " + iv.length + "-byte nonce");
            } catch (IllegalArgumentException expected) {
                assertTrue(Arrays.equals(before, bytes(buffer, before.length)), "seal left the buffer untouched");
            }
            byte[] packetBytes = concat(ct, tag);
            MemorySegment packet = kind.of(packetBytes);
            try {
                cipher.open(kind.of(iv), kind.of(aad), packet, packetBytes.length);
                fail("open accepted a " + iv.length + "-byte nonce");
            } catch (IllegalArgumentException expected) {
                assertTrue(Arrays.equals(packetBytes, bytes(packet, packetBytes.length)),
                    "open left the buffer untouched (no plaintext released)");
            }
        }
    }
}
