package io.qgate.crypto.kem;

import io.qgate.crypto.InvalidPrivateKeyException;
import io.qgate.crypto.InvalidPublicKeyException;
import static io.qgate.crypto.vectors.VectorFiles.hex;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.qgate.crypto.Backend;
import io.qgate.crypto.SecretBytes;
import io.qgate.crypto.vectors.VectorFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * ML-KEM against Wycheproof (ML-KEM-768) and NIST ACVP (ML-KEM-512/768/1024) vectors, through
 * {@link Kem} on every backend that offers ML-KEM.
 */
class MlKemVectorTest {
    static final List<Backend> ML_KEM_BACKENDS = List.of(Backend.JDK, Backend.BOUNCY_CASTLE, Backend.LIBOQS);

    /** One vector: its id, expected result and output, and the operation on a {@link Kem}. */
    record Vector(KemAlgorithm algorithm, String id, VectorTally.Expect expect, byte[] expected,
                  Class<? extends RuntimeException> rejectedWith, Function<Kem, byte[]> operation) {
    }

    /** Wycheproof invalid vectors: wrong lengths must give IllegalArgumentException, the rest the named check's exception. */
    private static Class<? extends RuntimeException> byLength(JsonNode t, KemAlgorithm a, Class<? extends RuntimeException> otherwise) {
        boolean lengthsRight = len(t, "seed", a.seedLength()) && len(t, "ek", a.publicKeyLength())
            && len(t, "dk", a.privateKeyLength()) && len(t, "m", 32) && (t.get("c") == null || t.get("c").asText().isEmpty()
                || len(t, "c", a.ciphertextLength()));
        return lengthsRight ? otherwise : IllegalArgumentException.class;
    }

    private static boolean len(JsonNode t, String field, int expected) {
        return t.get(field) == null || hex(t.get(field)).length == expected;
    }

    @TestFactory
    List<DynamicNode> wycheproofDecapsFromSeed() {
        String file = "wycheproof/mlkem_768_test.json";
        return perBackend(file, wycheproof(file, t -> kem -> {
            try (KemKeyPair pair = kem.deriveKeyPair(hex(t.get("seed")))) {
                return cat(pair.publicKey(), secret(kem.decapsulate(pair.privateKey(), hex(t.get("c")))));
            }
        }, t -> cat(hex(t.get("ek")), hex(t.get("K"))), IllegalArgumentException.class));
    }

    @TestFactory
    List<DynamicNode> wycheproofEncaps() {
        String file = "wycheproof/mlkem_768_encaps_test.json";
        return perBackend(file, wycheproof(file, t -> kem -> encapsulation(kem.encapsulate(hex(t.get("ek")), hex(t.get("m")))),
            t -> cat(hex(t.get("c")), hex(t.get("K"))), InvalidPublicKeyException.class));
    }

    @TestFactory
    List<DynamicNode> wycheproofKeyGenFromSeed() {
        String file = "wycheproof/mlkem_768_keygen_seed_test.json";
        return perBackend(file, wycheproof(file, t -> kem -> {
            try (KemKeyPair pair = kem.deriveKeyPair(hex(t.get("seed")))) {
                return cat(pair.publicKey(), pair.privateKey().encoded().copy());
            }
        }, t -> cat(hex(t.get("ek")), hex(t.get("dk"))), IllegalArgumentException.class));
    }

    @TestFactory
    List<DynamicNode> wycheproofDecapsWithExpandedKey() {
        String file = "wycheproof/mlkem_768_semi_expanded_decaps_test.json";
        return perBackend(file, wycheproof(file, t -> kem -> {
            try (KemPrivateKey key = kem.importPrivateKey(hex(t.get("dk")))) {
                return secret(kem.decapsulate(key, hex(t.get("c"))));
            }
        }, t -> hex(t.get("K")), InvalidPrivateKeyException.class));
    }

    @TestFactory
    List<DynamicNode> acvpKeyGen() {
        String file = "acvp/ML-KEM-keyGen-FIPS203/internalProjection.json";
        List<Vector> vectors = new ArrayList<>();
        for (JsonNode group : VectorFiles.read(file).get("testGroups")) {
            KemAlgorithm algorithm = algorithm(group);
            for (JsonNode t : group.get("tests")) {
                byte[] seed = cat(hex(t.get("d")), hex(t.get("z")));
                vectors.add(new Vector(algorithm, algorithm.id() + " tcId " + t.get("tcId").asInt(), VectorTally.Expect.VALID,
                    cat(hex(t.get("ek")), hex(t.get("dk"))), null, kem -> {
                        try (KemKeyPair pair = kem.deriveKeyPair(seed)) {
                            return cat(pair.publicKey(), pair.privateKey().encoded().copy());
                        }
                    }));
            }
        }
        return perBackend(file, vectors);
    }

    @TestFactory
    List<DynamicNode> acvpEncapDecap() {
        String file = "acvp/ML-KEM-encapDecap-FIPS203/internalProjection.json";
        List<Vector> vectors = new ArrayList<>();
        for (JsonNode group : VectorFiles.read(file).get("testGroups")) {
            KemAlgorithm algorithm = algorithm(group);
            String function = group.get("function").asText();
            String keyFormat = group.get("keyFormat").asText();
            for (JsonNode t : group.get("tests")) {
                String id = algorithm.id() + " " + function + (keyFormat.equals("none") ? "" : " (" + keyFormat + " key)")
                    + " tcId " + t.get("tcId").asInt();
                byte[] ek = hex(t.get("ek"));
                byte[] dk = hex(t.get("dk"));
                byte[] c = hex(t.get("c"));
                vectors.add(switch (function) {
                    case "encapsulation" -> new Vector(algorithm, id, VectorTally.Expect.VALID, cat(c, hex(t.get("k"))), null,
                        kem -> encapsulation(kem.encapsulate(ek, hex(t.get("m")))));
                    case "decapsulation" -> keyFormat.equals("seed")
                        ? new Vector(algorithm, id, VectorTally.Expect.VALID, cat(ek, hex(t.get("k"))), null, kem -> {
                            try (KemKeyPair pair = kem.deriveKeyPair(cat(hex(t.get("d")), hex(t.get("z"))))) {
                                return cat(pair.publicKey(), secret(kem.decapsulate(pair.privateKey(), c)));
                            }
                        })
                        : new Vector(algorithm, id, VectorTally.Expect.VALID, hex(t.get("k")), null, kem -> {
                            try (KemPrivateKey key = kem.importPrivateKey(dk)) {
                                return secret(kem.decapsulate(key, c));
                            }
                        });
                    case "decapsulationKeyCheck" -> new Vector(algorithm, id, passed(t), new byte[0],
                        byLength(t, algorithm, InvalidPrivateKeyException.class), kem -> {
                        kem.importPrivateKey(dk).destroy();
                        return new byte[0];
                    });
                    case "encapsulationKeyCheck" -> new Vector(algorithm, id, passed(t), new byte[0],
                        // ACVP's failing keys ("noisy linear system values too large") are also 416 bytes too long
                        byLength(t, algorithm, InvalidPublicKeyException.class), kem -> {
                        kem.checkPublicKey(ek);
                        return new byte[0];
                    });
                    default -> throw new IllegalStateException("unknown ACVP function " + function + " in " + file);
                });
            }
        }
        return perBackend(file, vectors);
    }

    private static VectorTally.Expect passed(JsonNode t) {
        return t.get("testPassed").asBoolean() ? VectorTally.Expect.VALID : VectorTally.Expect.INVALID;
    }

    private static List<Vector> wycheproof(String file, Function<JsonNode, Function<Kem, byte[]>> operation,
                                           Function<JsonNode, byte[]> expected, Class<? extends RuntimeException> checkFailure) {
        List<Vector> vectors = new ArrayList<>();
        for (JsonNode group : VectorFiles.read(file).get("testGroups")) {
            KemAlgorithm algorithm = algorithm(group);
            for (JsonNode t : group.get("tests")) {
                VectorTally.Expect expect = VectorTally.expect(t.get("result").asText());
                vectors.add(new Vector(algorithm, "tcId " + t.get("tcId").asInt(), expect,
                    expect == VectorTally.Expect.INVALID ? null : expected.apply(t), byLength(t, algorithm, checkFailure),
                    operation.apply(t)));
            }
        }
        return vectors;
    }

    /** One container per backend: a dynamic test per vector, then the summary; a skip when the backend is absent. */
    static List<DynamicNode> perBackend(String file, List<Vector> vectors) {
        List<DynamicNode> containers = new ArrayList<>();
        for (Backend backend : ML_KEM_BACKENDS) {
            List<DynamicNode> tests = new ArrayList<>();
            List<KemAlgorithm> algorithms = vectors.stream().map(Vector::algorithm).distinct().toList();
            String reason = algorithms.stream().map(a -> Kems.unavailableReason(backend, a))
                .filter(r -> r != null).findFirst().orElse(null);
            if (reason != null) {
                tests.add(DynamicTest.dynamicTest(file + " [" + backend.id() + "] skipped", () -> assumeTrue(false, reason)));
            } else {
                java.util.Map<KemAlgorithm, Kem> kems = new java.util.EnumMap<>(KemAlgorithm.class);
                algorithms.forEach(a -> kems.put(a, Kems.create(backend, a)));
                VectorTally tally = new VectorTally(file, backend.id());
                for (Vector v : vectors) {
                    Kem kem = kems.get(v.algorithm());
                    tests.add(tally.test(v.id(), v.expect(), v.expected(), v.rejectedWith(), () -> v.operation().apply(kem)));
                }
                tests.add(tally.summary());
            }
            containers.add(DynamicContainer.dynamicContainer(file + " [" + backend.id() + "]", tests));
        }
        return containers;
    }

    static KemAlgorithm algorithm(JsonNode group) {
        return KemAlgorithm.fromId(group.get("parameterSet").asText());
    }

    static byte[] encapsulation(KemEncapsulation e) {
        return cat(e.ciphertext(), secret(e.sharedSecret()));
    }

    static byte[] secret(SecretBytes s) {
        try (s) {
            return s.copy();
        }
    }

    static byte[] cat(byte[] a, byte[] b) {
        return KemInputs.concat(a, b);
    }
}
