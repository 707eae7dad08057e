package io.qgate.crypto.sig;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.qgate.crypto.Backend;
import io.qgate.crypto.InvalidPrivateKeyException;
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
 * qgate's own ML-DSA with precomputed keys ({@link MlDsaPublicKey}, {@link MlDsaPrivateKey}):
 * the Wycheproof ML-DSA-65 sign and verify vectors, the NIST ACVP sigVer vectors for all three
 * parameter sets, and interoperation with the JDK's and Bouncy Castle's ML-DSA both ways.
 */
class MlDsaPrecomputedKeyTest {
    private static final byte[] NO_CONTEXT = new byte[0];

    @Test
    void signsWycheproofSeedVectorsByteForByte() {
        Counts counts = new Counts();
        for (JsonNode group : VectorFiles.read("wycheproof/mldsa_65_sign_seed_test.json").get("testGroups")) {
            SigningKey seeded;
            try {
                seeded = SignatureSchemes.create(Backend.BOUNCY_CASTLE, SignatureAlgorithm.ML_DSA_65)
                    .deriveKeyPair(VectorFiles.hex(group.get("privateSeed"))).privateKey();
            } catch (IllegalArgumentException rejected) {
                expectAllInvalid(group, counts);
                continue;
            }
            try (MlDsaPrivateKey key = MlDsaPrivateKey.of(seeded)) {
                for (JsonNode t : group.get("tests")) {
                    signOne(key, t, counts);
                }
            }
        }
        counts.expectSome();
    }

    @Test
    void signsWycheproofExpandedKeyVectorsByteForByte() {
        Counts counts = new Counts();
        for (JsonNode group : VectorFiles.read("wycheproof/mldsa_65_sign_noseed_test.json").get("testGroups")) {
            MlDsaPrivateKey key;
            try {
                key = MlDsaPrivateKey.decode(SignatureAlgorithm.ML_DSA_65, VectorFiles.hex(group.get("privateKey")));
            } catch (InvalidPrivateKeyException | IllegalArgumentException rejected) {
                expectAllInvalid(group, counts);
                continue;
            }
            try (key) {
                for (JsonNode t : group.get("tests")) {
                    signOne(key, t, counts);
                }
            }
        }
        counts.expectSome();
    }

    /** A group whose key was rejected: every one of its tests must be invalid. */
    private static void expectAllInvalid(JsonNode group, Counts counts) {
        for (JsonNode t : group.get("tests")) {
            assertEquals("invalid", t.get("result").asText(), "tcId " + t.get("tcId") + ": a valid key was rejected");
            counts.invalid++;
        }
    }

    private static void signOne(MlDsaPrivateKey key, JsonNode t, Counts counts) {
        String id = "tcId " + t.get("tcId").asInt();
        byte[] rnd = t.has("rnd") ? VectorFiles.hex(t.get("rnd")) : new byte[MlDsaInternal.RND_LENGTH];
        if (t.get("result").asText().equals("invalid")) {
            assertThrows(IllegalArgumentException.class, () -> signVector(key, t, rnd), id + " was accepted");
            counts.invalid++;
            return;
        }
        assertArrayEquals(VectorFiles.hex(t.get("sig")), signVector(key, t, rnd), id + " signature");
        counts.valid++;
    }

    private static byte[] signVector(MlDsaPrivateKey key, JsonNode t, byte[] rnd) {
        return t.has("msg") ? key.sign(VectorFiles.hex(t.get("msg")), VectorFiles.hex(t.get("ctx")), rnd)
            : key.signMu(VectorFiles.hex(t.get("mu")), rnd);
    }

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
                assertEquals(!t.get("result").asText().equals("invalid"), ok, id);
                if (ok) {
                    counts.valid++;
                } else {
                    counts.invalid++;
                }
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
                assertEquals(expected.get(id), ok, "tgId/tcId " + id + " " + algorithm.id());
                if (ok) {
                    counts.valid++;
                } else {
                    counts.invalid++;
                }
            }
        }
        counts.expectSome();
    }

    @ParameterizedTest
    @EnumSource(names = {"ML_DSA_44", "ML_DSA_65", "ML_DSA_87"})
    void interoperatesWithTheJdkAndBouncyCastleBothWays(SignatureAlgorithm algorithm) {
        byte[] message = "qgate-v1 responder signature and a transcript hash".getBytes(StandardCharsets.US_ASCII);
        for (Backend backend : List.of(Backend.JDK, Backend.BOUNCY_CASTLE)) {
            SignatureScheme other = SignatureSchemes.create(backend, algorithm);
            for (int seedByte = 0; seedByte < 3; seedByte++) {
                byte[] seed = new byte[32];
                seed[0] = (byte) seedByte;
                SigningKeyPair pair = other.deriveKeyPair(seed);
                MlDsaPublicKey publicKey = MlDsaPublicKey.decode(algorithm, pair.publicKey());
                try (MlDsaPrivateKey ours = MlDsaPrivateKey.of(pair.privateKey())) {
                    for (int i = 0; i < 4; i++) {
                        message[0] = (byte) i;
                        byte[] fromOurs = ours.sign(message, NO_CONTEXT);
                        assertTrue(other.verify(pair.publicKey(), message, NO_CONTEXT, fromOurs), backend + " verifies ours");
                        byte[] fromOther = other.sign(pair.privateKey(), message, NO_CONTEXT);
                        assertTrue(publicKey.verify(message, NO_CONTEXT, fromOther), "ours verifies " + backend + "'s");
                        assertArrayEquals(other.signDeterministic(pair.privateKey(), message, NO_CONTEXT),
                            ours.signDeterministic(message, NO_CONTEXT), "deterministic signatures agree with " + backend);
                        message[1] ^= 1;
                        assertFalse(publicKey.verify(message, NO_CONTEXT, fromOther), "a changed message does not verify");
                        message[1] ^= 1;
                        fromOther[fromOther.length / 2] ^= 4;
                        assertFalse(publicKey.verify(message, NO_CONTEXT, fromOther), "a changed signature does not verify");
                    }
                }
            }
        }
    }

    @Test
    void rejectsKeysOfTheWrongLengthOrAlgorithm() {
        assertThrows(InvalidPublicKeyException.class, () -> MlDsaPublicKey.decode(SignatureAlgorithm.ML_DSA_65, new byte[1951]));
        assertThrows(IllegalArgumentException.class, () -> MlDsaPublicKey.decode(SignatureAlgorithm.SLH_DSA_SHAKE_128S, new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> MlDsaPrivateKey.decode(SignatureAlgorithm.ML_DSA_65, new byte[100]));
        MlDsaPublicKey key = MlDsaPublicKey.decode(SignatureAlgorithm.ML_DSA_65, new byte[1952]);
        assertFalse(key.verify(new byte[1], NO_CONTEXT, new byte[3308]), "a short signature is false, not an exception");
        assertThrows(IllegalArgumentException.class, () -> key.verify(new byte[1], new byte[256], new byte[3309]));
    }

    @Test
    void aDestroyedKeyRefusesToSign() {
        SigningKey seeded = SignatureSchemes.create(Backend.BOUNCY_CASTLE, SignatureAlgorithm.ML_DSA_65).deriveKeyPair(new byte[32]).privateKey();
        MlDsaPrivateKey key = MlDsaPrivateKey.of(seeded);
        key.destroy();
        assertTrue(key.isDestroyed());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> key.sign(new byte[1], NO_CONTEXT));
        assertTrue(e.getMessage().contains("destroyed"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> key.sign(new byte[1], NO_CONTEXT, new byte[31]));
    }

    /** Counts of checked vectors, so a test that silently checked nothing fails. */
    private static final class Counts {
        int valid;
        int invalid;

        void expectSome() {
            assertTrue(valid > 0, "no valid vector was checked");
            assertTrue(valid + invalid > 10, "too few vectors were checked: " + valid + " valid, " + invalid + " invalid");
        }
    }

}
