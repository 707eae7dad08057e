package io.qgate.crypto.sig;

import io.qgate.crypto.InvalidPrivateKeyException;
import io.qgate.crypto.InvalidPublicKeyException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.qgate.crypto.Backend;
import io.qgate.crypto.BackendUnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Behaviour of every algorithm on every backend: round trips, tampering, malformed inputs, key
 * destruction, cross-backend agreement for ML-DSA, and the factory's messages. SLH-DSA signs once
 * per parameter set and backend, because its signing is slow.
 */
class SignatureSchemeTest {
    private static final byte[] MESSAGE = "tunnel handshake transcript".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CONTEXT = "qgate-v1".getBytes(StandardCharsets.UTF_8);

    /** One key pair and signature per scheme, made on first use. */
    private record Fixture(SignatureScheme scheme, SigningKeyPair pair, byte[] context, byte[] signature) {
    }

    private static final Map<String, Fixture> FIXTURES = new ConcurrentHashMap<>();

    private static Fixture fixture(Backend backend, SignatureAlgorithm algorithm) {
        SignatureScheme scheme = SignatureBackends.scheme(backend, algorithm);
        return FIXTURES.computeIfAbsent(backend.id() + "/" + algorithm.id(), k -> {
            SigningKeyPair pair = scheme.generateKeyPair();
            byte[] context = supportsContext(backend, algorithm) ? CONTEXT : new byte[0];
            return new Fixture(scheme, pair, context, scheme.sign(pair.privateKey(), MESSAGE, context));
        });
    }

    private static boolean supportsContext(Backend backend, SignatureAlgorithm algorithm) {
        return backend != Backend.JDK && algorithm.family() != SignatureAlgorithm.Family.FALCON;
    }

    @TestFactory
    List<DynamicNode> everyAlgorithmOnEveryBackend() {
        List<DynamicNode> containers = new ArrayList<>();
        for (SignatureAlgorithm algorithm : SignatureAlgorithm.values()) {
            for (Backend backend : SignatureBackends.implementing(algorithm)) {
                String name = algorithm.id() + " [" + backend.id() + "] ";
                List<DynamicNode> tests = new ArrayList<>();
                tests.add(dynamicTest(name + "signature verifies and has the algorithm's size", () -> {
                    Fixture f = fixture(backend, algorithm);
                    assertEquals(algorithm.publicKeyLength(), f.pair().publicKey().length);
                    if (algorithm.hasFixedSignatureLength()) {
                        assertEquals(algorithm.signatureLength(), f.signature().length);
                    } else {
                        assertTrue(f.signature().length <= algorithm.signatureLength(), "Falcon signature within its maximum");
                    }
                    assertTrue(f.scheme().verify(f.pair().publicKey(), MESSAGE, f.context(), f.signature()));
                }));
                tests.add(dynamicTest(name + "tampered message does not verify", () -> {
                    Fixture f = fixture(backend, algorithm);
                    byte[] message = MESSAGE.clone();
                    message[3] ^= 1;
                    assertFalse(f.scheme().verify(f.pair().publicKey(), message, f.context(), f.signature()));
                }));
                tests.add(dynamicTest(name + "tampered signature does not verify", () -> {
                    Fixture f = fixture(backend, algorithm);
                    for (int position : new int[] {0, f.signature().length / 2, f.signature().length - 1}) {
                        byte[] signature = f.signature().clone();
                        signature[position] ^= 0x10;
                        assertFalse(f.scheme().verify(f.pair().publicKey(), MESSAGE, f.context(), signature), "flipped byte " + position);
                    }
                }));
                tests.add(dynamicTest(name + "signature of the wrong length gives false", () -> {
                    Fixture f = fixture(backend, algorithm);
                    byte[] s = f.signature();
                    for (byte[] wrong : List.of(new byte[0], Arrays.copyOf(s, s.length - 1), Arrays.copyOf(s, s.length + 1),
                        new byte[algorithm.signatureLength() + 1])) {
                        assertFalse(f.scheme().verify(f.pair().publicKey(), MESSAGE, f.context(), wrong), wrong.length + " bytes");
                    }
                }));
                tests.add(dynamicTest(name + "other public key does not verify", () -> {
                    Fixture f = fixture(backend, algorithm);
                    byte[] otherKey = f.pair().publicKey();
                    otherKey[otherKey.length - 1] ^= 1;
                    assertFalse(f.scheme().verify(otherKey, MESSAGE, f.context(), f.signature()));
                }));
                tests.add(dynamicTest(name + "public key of the wrong length is rejected", () -> {
                    Fixture f = fixture(backend, algorithm);
                    byte[] pk = f.pair().publicKey();
                    InvalidPublicKeyException e = assertThrows(InvalidPublicKeyException.class,
                        () -> f.scheme().verify(Arrays.copyOf(pk, pk.length - 1), MESSAGE, f.context(), f.signature()));
                    assertTrue(e.getMessage().contains(String.valueOf(algorithm.publicKeyLength())), e.getMessage());
                }));
                tests.add(dynamicTest(name + "context longer than 255 bytes is refused", () -> {
                    Fixture f = fixture(backend, algorithm);
                    byte[] longContext = new byte[256];
                    assertThrows(IllegalArgumentException.class, () -> f.scheme().sign(f.pair().privateKey(), MESSAGE, longContext));
                    assertThrows(IllegalArgumentException.class,
                        () -> f.scheme().verify(f.pair().publicKey(), MESSAGE, longContext, f.signature()));
                }));
                if (supportsContext(backend, algorithm)) {
                    tests.add(dynamicTest(name + "other context does not verify", () -> {
                        Fixture f = fixture(backend, algorithm);
                        assertFalse(f.scheme().verify(f.pair().publicKey(), MESSAGE, new byte[0], f.signature()));
                        assertFalse(f.scheme().verify(f.pair().publicKey(), MESSAGE, "qgate-v2".getBytes(StandardCharsets.UTF_8), f.signature()));
                    }));
                } else {
                    tests.add(dynamicTest(name + "non-empty context is refused with a reason", () -> {
                        Fixture f = fixture(backend, algorithm);
                        RuntimeException e = assertThrows(RuntimeException.class, () -> f.scheme().sign(f.pair().privateKey(), MESSAGE, CONTEXT));
                        assertTrue(e instanceof BackendUnavailableException || e instanceof IllegalArgumentException, e.toString());
                        assertTrue(e.getMessage().contains("context"), e.getMessage());
                    }));
                }
                tests.add(dynamicTest(name + "destroyed key cannot sign and does not print secrets", () -> {
                    SignatureScheme scheme = SignatureBackends.scheme(backend, algorithm);
                    SigningKeyPair pair = algorithm.family() == SignatureAlgorithm.Family.SLH_DSA
                        ? fixture(backend, algorithm).pair() : scheme.generateKeyPair();
                    SigningKey key = algorithm.family() == SignatureAlgorithm.Family.SLH_DSA && pair.privateKey().hasSeed()
                        ? scheme.deriveKeyPair(pair.privateKey().seed()).privateKey() : pair.privateKey();
                    String material = HexFormat.of().formatHex(key.hasSeed() ? key.seed() : key.expanded());
                    assertFalse(key.toString().contains(material.substring(0, 16)), "toString shows key bytes");
                    key.destroy();
                    assertTrue(key.isDestroyed());
                    IllegalStateException e = assertThrows(IllegalStateException.class, () -> scheme.sign(key, MESSAGE, new byte[0]));
                    assertTrue(e.getMessage().contains("destroyed"), e.getMessage());
                }));
                if (algorithm.family() != SignatureAlgorithm.Family.FALCON && backend != Backend.LIBOQS) {
                    tests.add(dynamicTest(name + "seed derives the same key pair and deterministic signature", () -> {
                        Fixture f = fixture(backend, algorithm);
                        byte[] seed = f.pair().privateKey().seed();
                        try (SigningKeyPair again = f.scheme().deriveKeyPair(seed)) {
                            assertArrayEquals(f.pair().publicKey(), again.publicKey());
                            byte[] a = f.scheme().signDeterministic(f.pair().privateKey(), MESSAGE, new byte[0]);
                            byte[] b = f.scheme().signDeterministic(again.privateKey(), MESSAGE, new byte[0]);
                            assertArrayEquals(a, b);
                            assertTrue(f.scheme().verify(f.pair().publicKey(), MESSAGE, new byte[0], a));
                        }
                        assertThrows(IllegalArgumentException.class, () -> f.scheme().deriveKeyPair(Arrays.copyOf(seed, seed.length - 1)));
                    }));
                }
                if (algorithm.family() == SignatureAlgorithm.Family.ML_DSA) {
                    tests.add(dynamicTest(name + "hedged signatures differ and both verify", () -> {
                        Fixture f = fixture(backend, algorithm);
                        byte[] other = f.scheme().sign(f.pair().privateKey(), MESSAGE, f.context());
                        assertFalse(Arrays.equals(f.signature(), other), "hedged signing reused its randomness");
                        assertTrue(f.scheme().verify(f.pair().publicKey(), MESSAGE, f.context(), other));
                    }));
                }
                containers.add(dynamicContainer(name.trim(), tests));
            }
        }
        return containers;
    }

    @TestFactory
    List<DynamicNode> mlDsaAgreesAcrossJdkAndBouncyCastle() {
        List<DynamicNode> tests = new ArrayList<>();
        for (SignatureAlgorithm algorithm : List.of(SignatureAlgorithm.ML_DSA_44, SignatureAlgorithm.ML_DSA_65, SignatureAlgorithm.ML_DSA_87)) {
            tests.add(dynamicTest(algorithm.id() + " JDK signs, Bouncy Castle verifies, and the reverse", () -> {
                SignatureScheme jdk = SignatureSchemes.create(Backend.JDK, algorithm);
                SignatureScheme bc = SignatureSchemes.create(Backend.BOUNCY_CASTLE, algorithm);
                try (SigningKeyPair onJdk = jdk.generateKeyPair();
                     SigningKeyPair onBc = bc.deriveKeyPair(onJdk.privateKey().seed())) {
                    assertArrayEquals(onJdk.publicKey(), onBc.publicKey(), "same seed, same public key");
                    assertTrue(bc.verify(onJdk.publicKey(), MESSAGE, new byte[0], jdk.sign(onJdk.privateKey(), MESSAGE, new byte[0])));
                    assertTrue(jdk.verify(onBc.publicKey(), MESSAGE, new byte[0], bc.sign(onBc.privateKey(), MESSAGE, new byte[0])));
                    assertArrayEquals(jdk.signDeterministic(onJdk.privateKey(), MESSAGE, new byte[0]),
                        bc.signDeterministic(onBc.privateKey(), MESSAGE, new byte[0]), "deterministic signatures agree");
                    byte[] tampered = jdk.sign(onJdk.privateKey(), MESSAGE, new byte[0]);
                    tampered[10] ^= 1;
                    assertFalse(bc.verify(onJdk.publicKey(), MESSAGE, new byte[0], tampered));
                }
            }));
            tests.add(dynamicTest(algorithm.id() + " key of one backend is refused by another with a reason", () -> {
                SignatureScheme jdk = SignatureSchemes.create(Backend.JDK, algorithm);
                SignatureScheme bc = SignatureSchemes.create(Backend.BOUNCY_CASTLE, algorithm);
                try (SigningKeyPair onJdk = jdk.generateKeyPair()) {
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bc.sign(onJdk.privateKey(), MESSAGE, new byte[0]));
                    assertTrue(e.getMessage().contains("derive"), e.getMessage());
                }
            }));
        }
        return tests;
    }

    @Test
    void unknownAlgorithmIdListsTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SignatureAlgorithm.fromId("ml-dsa-66"));
        for (SignatureAlgorithm a : SignatureAlgorithm.values()) {
            assertTrue(e.getMessage().contains(a.id()), e.getMessage());
        }
        assertEquals(SignatureAlgorithm.FALCON_512, SignatureAlgorithm.fromId(" Falcon-512 "));
    }

    @Test
    void jdkRefusesSlhDsaNamingTheBackendsThatHaveIt() {
        assertFalse(SignatureSchemes.isAvailable(Backend.JDK, SignatureAlgorithm.SLH_DSA_SHAKE_128F));
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
            () -> SignatureSchemes.create(Backend.JDK, SignatureAlgorithm.SLH_DSA_SHAKE_128F));
        assertTrue(e.getMessage().contains("bouncycastle"), e.getMessage());
        assertEquals(e.getMessage(), SignatureSchemes.unavailableReason(Backend.JDK, SignatureAlgorithm.SLH_DSA_SHAKE_128F));
    }

    @Test
    void defaultBackendFollowsTheSystemProperty() {
        String before = System.getProperty(SignatureSchemes.BACKEND_PROPERTY);
        try {
            System.clearProperty(SignatureSchemes.BACKEND_PROPERTY);
            assertEquals(Backend.JDK, SignatureSchemes.defaultBackend(SignatureAlgorithm.ML_DSA_65));
            assertEquals(Backend.BOUNCY_CASTLE, SignatureSchemes.defaultBackend(SignatureAlgorithm.FALCON_512));
            System.setProperty(SignatureSchemes.BACKEND_PROPERTY, "bouncycastle");
            assertEquals(Backend.BOUNCY_CASTLE, SignatureSchemes.defaultBackend(SignatureAlgorithm.ML_DSA_65));
            System.setProperty(SignatureSchemes.BACKEND_PROPERTY, "jdk");
            assertEquals(Backend.BOUNCY_CASTLE, SignatureSchemes.defaultBackend(SignatureAlgorithm.SLH_DSA_SHAKE_128F),
                "a preferred backend without the algorithm falls back to the default");
            System.setProperty(SignatureSchemes.BACKEND_PROPERTY, "nosuch");
            assertThrows(IllegalArgumentException.class, () -> SignatureSchemes.defaultBackend(SignatureAlgorithm.ML_DSA_65));
        } finally {
            if (before == null) {
                System.clearProperty(SignatureSchemes.BACKEND_PROPERTY);
            } else {
                System.setProperty(SignatureSchemes.BACKEND_PROPERTY, before);
            }
        }
    }

    @Test
    void expandedKeyWithCoefficientOutOfRangeIsRejected() {
        SignatureScheme bc = SignatureSchemes.create(Backend.BOUNCY_CASTLE, SignatureAlgorithm.ML_DSA_44);
        SignatureScheme jdk = SignatureSchemes.create(Backend.JDK, SignatureAlgorithm.ML_DSA_44);
        byte[] expanded = new byte[SignatureAlgorithm.ML_DSA_44.expandedPrivateKeyLength()];
        SigningKey fine = bc.importExpanded(expanded);
        fine.destroy();
        expanded[128] = 0x07;
        assertThrows(InvalidPrivateKeyException.class, () -> bc.importExpanded(expanded));
        assertThrows(InvalidPrivateKeyException.class, () -> jdk.importExpanded(expanded));
        assertThrows(IllegalArgumentException.class, () -> jdk.importExpanded(Arrays.copyOf(expanded, 100)));
    }

    @Test
    void expandedKeyWithLastSecretCoefficientOutOfRangeIsRejected() {
        // the last byte of s2 (after rho, K, tr and k + l packed polynomials of 32 · bitlen(2 eta) bytes)
        Map<SignatureAlgorithm, Integer> lastS2Byte = Map.of(SignatureAlgorithm.ML_DSA_44, 128 + 8 * 96 - 1,
            SignatureAlgorithm.ML_DSA_65, 128 + 11 * 128 - 1, SignatureAlgorithm.ML_DSA_87, 128 + 15 * 96 - 1);
        lastS2Byte.forEach((algorithm, index) -> {
            SignatureScheme bc = SignatureSchemes.create(Backend.BOUNCY_CASTLE, algorithm);
            byte[] expanded = new byte[algorithm.expandedPrivateKeyLength()];
            expanded[index + 1] = (byte) 0xff; // t0, which has no range to check
            bc.importExpanded(expanded).destroy();
            expanded[index] = (byte) 0xe0; // the top bits: the last coefficient is 7 (eta 2) or 14 (eta 4)
            assertThrows(InvalidPrivateKeyException.class, () -> bc.importExpanded(expanded), algorithm.id());
        });
    }

    @Test
    void liboqsIsRefusedWithItsReasonWhenAbsent() {
        org.junit.jupiter.api.Assumptions.assumeFalse(io.qgate.ffm.oqs.LibOqs.isAvailable(), "liboqs is installed here");
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
            () -> SignatureSchemes.create(Backend.LIBOQS, SignatureAlgorithm.ML_DSA_65));
        assertEquals(io.qgate.ffm.oqs.LibOqs.unavailableReason(), e.getMessage());
    }
}
