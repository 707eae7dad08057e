package io.qgate.crypto.sig;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import io.qgate.crypto.Backend;
import io.qgate.crypto.vectors.VectorFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * Wycheproof ML-DSA-65 vectors through qgate's {@link SignatureScheme} (and {@link MlDsaInternal}
 * where the backend has it), on every backend that implements ML-DSA-65.
 */
class MlDsaWycheproofTest {
    private static final SignatureAlgorithm ALGORITHM = SignatureAlgorithm.ML_DSA_65;
    private static final String SIGN_SEED = "wycheproof/mldsa_65_sign_seed_test.json";
    private static final String SIGN_NOSEED = "wycheproof/mldsa_65_sign_noseed_test.json";
    private static final String VERIFY = "wycheproof/mldsa_65_verify_test.json";

    @TestFactory
    List<DynamicNode> signFromSeedReproducesSignatures() {
        return perBackend(SIGN_SEED, this::signTests);
    }

    @TestFactory
    List<DynamicNode> signFromExpandedKeyReproducesSignatures() {
        return perBackend(SIGN_NOSEED, this::signTests);
    }

    @TestFactory
    List<DynamicNode> verifyAcceptsValidAndRejectsInvalidSignatures() {
        return perBackend(VERIFY, this::verifyTests);
    }

    private interface TestsForBackend {
        List<DynamicNode> build(String file, JsonNode root, Backend backend, VectorTally tally);
    }

    private static List<DynamicNode> perBackend(String file, TestsForBackend builder) {
        JsonNode root = VectorFiles.read(file);
        List<DynamicNode> containers = new ArrayList<>();
        for (Backend backend : SignatureBackends.implementing(ALGORITHM)) {
            VectorTally tally = new VectorTally(file, backend);
            List<DynamicNode> tests = builder.build(file, root, backend, tally);
            tests.add(dynamicTest(file + " [" + backend.id() + "] summary", () -> {
                tally.finish(() -> SignatureBackends.scheme(backend, ALGORITHM));
            }));
            containers.add(dynamicContainer(file + " [" + backend.id() + "]", tests));
        }
        return containers;
    }

    private List<DynamicNode> signTests(String file, JsonNode root, Backend backend, VectorTally tally) {
        boolean fromSeed = file.equals(SIGN_SEED);
        List<DynamicNode> tests = new ArrayList<>();
        for (JsonNode group : root.get("testGroups")) {
            for (JsonNode t : group.get("tests")) {
                String reason = signNotApplicable(backend, fromSeed, t);
                if (reason != null) {
                    tally.notApplicable(reason);
                    continue;
                }
                tally.planned();
                tests.add(dynamicTest(name(file, t, backend), () -> {
                    SignatureScheme scheme = SignatureBackends.scheme(backend, ALGORITHM);
                    byte[] publicKey = group.has("publicKey") ? VectorFiles.hex(group.get("publicKey")) : null;
                    byte[] expected = VectorFiles.hex(t.get("sig"));
                    Supplier<byte[]> sign = () -> {
                        SigningKey key = null;
                        try {
                            if (fromSeed) {
                                SigningKeyPair pair = scheme.deriveKeyPair(VectorFiles.hex(group.get("privateSeed")));
                                key = pair.privateKey();
                                assertArrayEquals(publicKey, pair.publicKey(), "public key derived from the seed");
                            } else {
                                key = scheme.importExpanded(VectorFiles.hex(group.get("privateKey")));
                            }
                            return signOne(scheme, backend, key, t);
                        } finally {
                            if (key != null) {
                                key.destroy();
                            }
                        }
                    };
                    Consumer<byte[]> exact = sig -> {
                        assertArrayEquals(expected, sig, "signature");
                        if (t.has("msg") && publicKey != null) {
                            assertTrue(scheme.verify(publicKey, VectorFiles.hex(t.get("msg")), VectorFiles.hex(t.get("ctx")), sig),
                                "the expected signature verifies");
                        }
                        if (t.has("msg") && t.has("mu") && publicKey != null) {
                            assertArrayEquals(VectorFiles.hex(t.get("mu")),
                                MlDsaMu.pure(publicKey, VectorFiles.hex(t.get("msg")), VectorFiles.hex(t.get("ctx"))), "mu");
                        }
                    };
                    tally.check(t.get("result").asText(), sign, exact);
                }));
            }
        }
        return tests;
    }

    private static byte[] signOne(SignatureScheme scheme, Backend backend, SigningKey key, JsonNode t) {
        byte[] ctx = VectorFiles.hex(t.get("ctx"));
        if (backend == Backend.LIBOQS) {
            return scheme.sign(key, VectorFiles.hex(t.get("msg")), ctx);
        }
        if (!t.has("msg")) {
            byte[] rnd = t.has("rnd") ? VectorFiles.hex(t.get("rnd")) : new byte[MlDsaInternal.RND_LENGTH];
            return ((MlDsaInternal) scheme).signMu(key, VectorFiles.hex(t.get("mu")), rnd);
        }
        if (t.has("rnd")) {
            return ((MlDsaInternal) scheme).sign(key, VectorFiles.hex(t.get("msg")), ctx, VectorFiles.hex(t.get("rnd")));
        }
        return scheme.signDeterministic(key, VectorFiles.hex(t.get("msg")), ctx);
    }

    private static String signNotApplicable(Backend backend, boolean fromSeed, JsonNode t) {
        boolean valid = !t.get("result").asText().equals("invalid");
        int ctxLength = VectorFiles.hex(t.get("ctx")).length;
        return switch (backend) {
            case LIBOQS -> fromSeed ? "no seeded key generation in liboqs"
                : valid || !t.has("msg") ? "liboqs signs only hedged, so no known answer" : null;
            case JDK -> !t.has("msg") ? "no external mu on the JDK"
                : t.has("rnd") ? "no caller-chosen rnd on the JDK"
                : ctxLength > 0 && ctxLength <= SignatureScheme.MAX_CONTEXT_LENGTH ? "no context strings on the JDK" : null;
            default -> null;
        };
    }

    private List<DynamicNode> verifyTests(String file, JsonNode root, Backend backend, VectorTally tally) {
        List<DynamicNode> tests = new ArrayList<>();
        for (JsonNode group : root.get("testGroups")) {
            for (JsonNode t : group.get("tests")) {
                int ctxLength = VectorFiles.hex(t.get("ctx")).length;
                if (backend == Backend.JDK && ctxLength > 0 && ctxLength <= SignatureScheme.MAX_CONTEXT_LENGTH) {
                    tally.notApplicable("no context strings on the JDK");
                    continue;
                }
                tally.planned();
                tests.add(dynamicTest(name(file, t, backend), () -> {
                    SignatureScheme scheme = SignatureBackends.scheme(backend, ALGORITHM);
                    Supplier<Boolean> verify = () -> scheme.verify(VectorFiles.hex(group.get("publicKey")),
                        VectorFiles.hex(t.get("msg")), VectorFiles.hex(t.get("ctx")), VectorFiles.hex(t.get("sig")));
                    tally.check(t.get("result").asText(), verify, ok -> assertTrue(ok, "a valid signature was rejected"));
                }));
            }
        }
        return tests;
    }

    private static String name(String file, JsonNode t, Backend backend) {
        return file + " tcId " + t.get("tcId").asInt() + " [" + backend.id() + "] " + t.path("comment").asText();
    }
}
