package io.qgate.crypto.sig;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.crypto.ChildJvm;
import io.qgate.crypto.FixedRandom;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Signing with a key's matrix A and NTTs computed once gives exactly the JDK's signatures, and
 * qgate falls back to the JDK's signer where it cannot precompute.
 */
class JdkMlDsaPrecomputedTest {

    @Test
    void theTestJvmCanPrecompute() {
        // surefire starts this JVM with pom.xml's qgate.jvm.flags, which open the JDK's ML-DSA
        assertNull(JdkMlDsaPrecomputed.unavailableReason());
    }

    @ParameterizedTest
    @EnumSource(value = SignatureAlgorithm.class, names = {"ML_DSA_44", "ML_DSA_65", "ML_DSA_87"})
    void signsExactlyAsTheJdkForSeededAndImportedKeysAndAnyRnd(SignatureAlgorithm algorithm) throws Exception {
        JdkMlDsa scheme = new JdkMlDsa(algorithm);
        Random random = new Random(0x5EED_0000L + algorithm.ordinal());
        for (int keyNumber = 0; keyNumber < 4; keyNumber++) {
            byte[] seed = new byte[algorithm.seedLength()];
            random.nextBytes(seed);
            SigningKeyPair pair = scheme.deriveKeyPair(seed);
            PrivateKey jdkKey = pair.privateKey().backendKey(scheme, PrivateKey.class);
            byte[] expanded = scheme.expandedFromJdk(jdkKey);
            JdkMlDsaPrecomputed precomputed = JdkMlDsaPrecomputed.of(algorithm, expanded);
            for (int m = 0; m < 6; m++) {
                byte[] message = new byte[random.nextInt(300)];
                random.nextBytes(message);
                byte[] rnd = new byte[MlDsaInternal.RND_LENGTH];
                if (m % 2 == 1) {
                    random.nextBytes(rnd);
                }
                byte[] ours = precomputed.sign(message, rnd);
                Signature jdk = Signature.getInstance(algorithm.id().toUpperCase(Locale.ROOT)); // ML-DSA-44, -65, -87
                jdk.initSign(jdkKey, FixedRandom.of(rnd.clone()));
                jdk.update(message);
                assertArrayEquals(jdk.sign(), ours, algorithm.id() + " key " + keyNumber + " message " + m);
                assertTrue(scheme.verify(pair.publicKey(), message, new byte[0], ours));
            }
            // the same key imported in expanded form precomputes the same
            SigningKey imported = scheme.importExpanded(expanded);
            byte[] message = "imported".getBytes(StandardCharsets.US_ASCII);
            imported.countSignature();
            assertArrayEquals(precomputed.sign(message, new byte[MlDsaInternal.RND_LENGTH]),
                scheme.signDeterministic(imported, message, new byte[0]));
            assertInstanceOf(JdkMlDsaPrecomputed.class, imported.precomputed(scheme));
            precomputed.destroy();
        }
    }

    @Test
    void aKeyPrecomputesFromItsSecondSignatureAndEverySignatureIsTheSame() {
        JdkMlDsa scheme = new JdkMlDsa(SignatureAlgorithm.ML_DSA_65);
        SigningKeyPair pair = scheme.generateKeyPair();
        byte[] message = "the transcript hash".getBytes(StandardCharsets.US_ASCII);
        byte[] first = scheme.signDeterministic(pair.privateKey(), message, new byte[0]);
        assertNull(pair.privateKey().precomputed(scheme), "the first signature precomputes nothing");
        byte[] second = scheme.signDeterministic(pair.privateKey(), message, new byte[0]);
        JdkMlDsaPrecomputed state = assertInstanceOf(JdkMlDsaPrecomputed.class, pair.privateKey().precomputed(scheme));
        assertArrayEquals(first, second);
        assertArrayEquals(first, scheme.signDeterministic(pair.privateKey(), message, new byte[0]));
        // hedged signatures differ each time and all verify
        byte[] hedged1 = scheme.sign(pair.privateKey(), message, new byte[0]);
        byte[] hedged2 = scheme.sign(pair.privateKey(), message, new byte[0]);
        assertFalse(java.util.Arrays.equals(hedged1, hedged2));
        assertTrue(scheme.verify(pair.publicKey(), message, new byte[0], hedged1));
        assertTrue(scheme.verify(pair.publicKey(), message, new byte[0], hedged2));
        assertFalse(scheme.verify(pair.publicKey(), "another".getBytes(StandardCharsets.US_ASCII), new byte[0], hedged1));
        assertSame(state, pair.privateKey().precomputed(scheme), "computed once");
    }

    @Test
    void aPrecomputationThatDisagreesWithTheJdkIsDroppedAndTheKeySignsWithTheJdk() {
        JdkMlDsa scheme = new JdkMlDsa(SignatureAlgorithm.ML_DSA_65);
        SigningKeyPair pair = scheme.generateKeyPair();
        SigningKeyPair other = scheme.generateKeyPair();
        PrivateKey jdkKey = pair.privateKey().backendKey(scheme, PrivateKey.class);
        // another key's expansion stands for a JDK whose ML-DSA no longer matches: the check signature differs
        byte[] wrong = scheme.expandedFromJdk(other.privateKey().backendKey(scheme, PrivateKey.class));
        assertSame(JdkMlDsa.NOT_PRECOMPUTED, scheme.precompute(pair.privateKey(), jdkKey, wrong));
        assertTrue(java.util.Arrays.equals(wrong, new byte[wrong.length]), "the expanded key is wiped");
        byte[] message = "still signs".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 3; i++) {
            assertTrue(scheme.verify(pair.publicKey(), message, new byte[0], scheme.sign(pair.privateKey(), message, new byte[0])));
        }
        assertSame(JdkMlDsa.NOT_PRECOMPUTED, pair.privateKey().precomputed(scheme), "not tried again");
        assertEquals("not precomputed", pair.privateKey().precomputed(scheme).toString());
    }

    @Test
    void selfcheckSaysKeysArePrecomputedHere() {
        assertEquals("precomputed keys (matrix A and the key's NTTs once per key)", SignatureSchemes.jdkMlDsaSigning());
    }

    @Test
    void destroyingTheKeyDestroysWhatItPrecomputed() {
        JdkMlDsa scheme = new JdkMlDsa(SignatureAlgorithm.ML_DSA_65);
        SigningKeyPair pair = scheme.generateKeyPair();
        byte[] message = {1, 2, 3};
        scheme.sign(pair.privateKey(), message, new byte[0]);
        scheme.sign(pair.privateKey(), message, new byte[0]);
        JdkMlDsaPrecomputed state = assertInstanceOf(JdkMlDsaPrecomputed.class, pair.privateKey().precomputed(scheme));
        pair.privateKey().destroy();
        assertTrue(state.isDestroyed());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> state.sign(message, new byte[32]));
        assertEquals("the ml-dsa-65 signing key was destroyed and cannot be used", e.getMessage());
        assertThrows(IllegalStateException.class, () -> scheme.sign(pair.privateKey(), message, new byte[0]));
    }

    @Test
    void manyThreadsSignWithOneKeyAtOnce() throws Exception {
        JdkMlDsa scheme = new JdkMlDsa(SignatureAlgorithm.ML_DSA_65);
        SigningKeyPair pair = scheme.generateKeyPair();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                byte[] message = {(byte) t};
                results.add(pool.submit(() -> {
                    boolean all = true;
                    for (int i = 0; i < 20; i++) {
                        all &= scheme.verify(pair.publicKey(), message, new byte[0], scheme.sign(pair.privateKey(), message, new byte[0]));
                    }
                    return all;
                }));
            }
            for (Future<Boolean> r : results) {
                assertTrue(r.get(120, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertInstanceOf(JdkMlDsaPrecomputed.class, pair.privateKey().precomputed(scheme));
    }

    @Test
    void withoutTheOpenedPackageItSaysWhyAndSignsWithTheJdk() throws Exception {
        String output = ChildJvm.run(List.of(), Probe.class);
        assertTrue(output.contains("unavailable: the JVM was started without --add-opens java.base/sun.security.provider=ALL-UNNAMED"), output);
        assertTrue(output.contains("state: not precomputed"), output);
        assertTrue(output.contains("verified: true true"), output);
    }

    /** Run in a JVM without the flags: signs twice with one key and prints what happened. */
    static final class Probe {
        public static void main(String[] args) {
            System.out.println("unavailable: " + JdkMlDsaPrecomputed.unavailableReason());
            JdkMlDsa scheme = new JdkMlDsa(SignatureAlgorithm.ML_DSA_65);
            SigningKeyPair pair = scheme.generateKeyPair();
            byte[] message = {4, 5, 6};
            byte[] a = scheme.sign(pair.privateKey(), message, new byte[0]);
            byte[] b = scheme.sign(pair.privateKey(), message, new byte[0]);
            System.out.println("state: " + pair.privateKey().precomputed(scheme));
            System.out.println("verified: " + scheme.verify(pair.publicKey(), message, new byte[0], a) + " "
                + scheme.verify(pair.publicKey(), message, new byte[0], b));
        }
    }

}
