package io.qgate.crypto.sig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.qgate.crypto.Backend;
import io.qgate.crypto.InvalidPublicKeyException;
import io.qgate.crypto.vectors.VectorFiles;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * qgate's own ML-DSA verification with a precomputed key ({@link MlDsaPublicKey}): the Wycheproof
 * ML-DSA-65 verify vectors, the NIST ACVP sigVer vectors for all three parameter sets, and the
 * signatures of the JDK's and Bouncy Castle's ML-DSA.
 */
class MlDsaPublicKeyTest {
    private static final byte[] NO_CONTEXT = new byte[0];

    @Test
    void verifiesWycheproofVectors() {
        Counts counts = new Counts();
        for (JsonNode group : VectorFiles.read("wycheproof/mldsa_65_verify_test.json").get("testGroups")) {
            byte[] publicKey = VectorFiles.hex(group.get("publicKey"));
            MlDsaPublicKey key;
            try {
                key = MlDsaPublicKey.decode(SignatureAlgorithm.ML_DSA_65, publicKey);
            } catch (InvalidPublicKeyException rejected) {
                expectAllInvalid(group, counts);
                continue;
            }
            for (JsonNode t : group.get("tests")) {
                String id = "tcId " + t.get("tcId").asInt() + " " + t.path("comment").asText();
                boolean ok;
                try {
                    ok = key.verify(VectorFiles.hex(t.get("msg")), VectorFiles.hex(t.get("ctx")), VectorFiles.hex(t.get("sig")));
                } catch (IllegalArgumentException rejected) {
                    ok = false;
                }
                counts.check(!t.get("result").asText().equals("invalid"), ok, id);
            }
        }
        counts.expectSome();
    }

    @Test
    void verifiesAcvpSigVerVectorsOfAllThreeParameterSets() {
        String folder = "acvp/ML-DSA-sigVer-FIPS204/";
        Map<String, Boolean> expected = new HashMap<>();
        for (JsonNode g : VectorFiles.read(folder + "expectedResults.json").get("testGroups")) {
            for (JsonNode t : g.get("tests")) {
                expected.put(g.get("tgId").asInt() + "/" + t.get("tcId").asInt(), t.get("testPassed").asBoolean());
            }
        }
        Counts counts = new Counts();
        for (JsonNode group : VectorFiles.read(folder + "prompt.json").get("testGroups")) {
            SignatureAlgorithm algorithm = SignatureAlgorithm.fromId(group.get("parameterSet").asText());
            boolean external = group.get("signatureInterface").asText().equals("external");
            for (JsonNode t : group.get("tests")) {
                byte[] pk = VectorFiles.hex(t.get("pk"));
                byte[] sig = VectorFiles.hex(t.get("signature"));
                MlDsaPublicKey key = MlDsaPublicKey.decode(algorithm, pk);
                boolean ok;
                if (external && group.get("preHash").asText().equals("pure")) {
                    ok = key.verify(VectorFiles.hex(t.get("message")), VectorFiles.hex(t.get("context")), sig);
                } else if (external) {
                    MlDsaMu.PreHash hash = MlDsaMu.PreHash.fromAcvpName(t.get("hashAlg").asText());
                    ok = key.verifyMu(MlDsaMu.preHash(pk, VectorFiles.hex(t.get("message")), VectorFiles.hex(t.get("context")), hash), sig);
                } else {
                    ok = key.verifyMu(group.get("externalMu").asBoolean() ? VectorFiles.hex(t.get("mu"))
                        : MlDsaMu.internal(pk, VectorFiles.hex(t.get("message"))), sig);
                }
                String id = group.get("tgId").asInt() + "/" + t.get("tcId").asInt();
                counts.check(expected.get(id), ok, "tgId/tcId " + id + " " + algorithm.id());
            }
        }
        counts.expectSome();
    }

    @ParameterizedTest
    @EnumSource(names = {"ML_DSA_44", "ML_DSA_65", "ML_DSA_87"})
    void verifiesWhatTheJdkAndBouncyCastleSignAndNothingElse(SignatureAlgorithm algorithm) {
        byte[] message = "qgate-v1 certificate and its TBS bytes".getBytes(StandardCharsets.US_ASCII);
        for (Backend backend : List.of(Backend.JDK, Backend.BOUNCY_CASTLE)) {
            SignatureScheme other = SignatureSchemes.create(backend, algorithm);
            for (int seedByte = 0; seedByte < 3; seedByte++) {
                byte[] seed = new byte[32];
                seed[0] = (byte) seedByte;
                SigningKeyPair pair = other.deriveKeyPair(seed);
                MlDsaPublicKey publicKey = MlDsaPublicKey.decode(algorithm, pair.publicKey());
                assertTrue(publicKey.matches(pair.publicKey()));
                for (int i = 0; i < 4; i++) {
                    message[0] = (byte) i;
                    byte[] signature = other.sign(pair.privateKey(), message, NO_CONTEXT);
                    assertTrue(publicKey.verify(message, NO_CONTEXT, signature), "ours verifies " + backend + "'s signature");
                    message[1] ^= 1;
                    assertFalse(publicKey.verify(message, NO_CONTEXT, signature), "a changed message does not verify");
                    message[1] ^= 1;
                    signature[signature.length / 2] ^= 4;
                    assertFalse(publicKey.verify(message, NO_CONTEXT, signature), "a changed signature does not verify");
                    assertFalse(other.verify(pair.publicKey(), message, NO_CONTEXT, signature), backend + " agrees it does not");
                }
                pair.privateKey().destroy();
            }
        }
    }

    @Test
    void rejectsKeysOfTheWrongLengthOrAlgorithm() {
        InvalidPublicKeyException e = assertThrows(InvalidPublicKeyException.class,
            () -> MlDsaPublicKey.decode(SignatureAlgorithm.ML_DSA_65, new byte[1951]));
        assertTrue(e.getMessage().contains("1952"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MlDsaPublicKey.decode(SignatureAlgorithm.SLH_DSA_SHAKE_128S, new byte[32]));
        MlDsaPublicKey key = MlDsaPublicKey.decode(SignatureAlgorithm.ML_DSA_65, new byte[1952]);
        assertFalse(key.verify(new byte[1], NO_CONTEXT, new byte[3308]), "a short signature is false, not an exception");
        assertFalse(key.verify(new byte[1], NO_CONTEXT, new byte[3309]), "an all-zero signature does not verify");
        assertThrows(IllegalArgumentException.class, () -> key.verify(new byte[1], new byte[256], new byte[3309]));
        assertThrows(IllegalArgumentException.class, () -> key.verifyMu(new byte[63], new byte[3309]));
    }

    /** A group whose key was rejected: every one of its tests must be invalid. */
    private static void expectAllInvalid(JsonNode group, Counts counts) {
        for (JsonNode t : group.get("tests")) {
            assertEquals("invalid", t.get("result").asText(), "tcId " + t.get("tcId") + ": a valid key was rejected");
            counts.invalid++;
        }
    }

    /** Counts of checked vectors, so a test that silently checked nothing fails. */
    private static final class Counts {
        int valid;
        int invalid;

        /** Asserts that a vector verified as {@code expected} and counts it. */
        void check(boolean expected, boolean ok, String id) {
            assertEquals(expected, ok, id);
            if (ok) {
                valid++;
            } else {
                invalid++;
            }
        }

        void expectSome() {
            assertTrue(valid > 0, "no valid vector was checked");
            assertTrue(valid + invalid > 10, "too few vectors were checked: " + valid + " valid, " + invalid + " invalid");
        }
    }
}
