package io.qgate.engine.trust;

import static io.qgate.engine.trust.TrustFixtures.RANDOM;
import static io.qgate.engine.trust.TrustStoreTest.refused;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.crypto.sig.SignatureAlgorithm;
import io.qgate.engine.protocol.ErrorCode;
import io.qgate.engine.protocol.ProtocolException;
import io.qgate.engine.protocol.SignatureAlgorithmId;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SigningIdentityTest {
    private static final byte[] MESSAGE = "to be signed".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] CONTEXT = TrustSignatures.CERTIFICATE_CONTEXT;

    /** SLH-DSA-SHAKE-128s is left out: its keys work the same way and sign a second slowly. */
    @ParameterizedTest
    @EnumSource(value = SignatureAlgorithm.class, names = {"ML_DSA_44", "ML_DSA_65", "ML_DSA_87", "SLH_DSA_SHAKE_128F"})
    void privateKeyRoundTripsToTheSameKey(SignatureAlgorithm algorithm) throws ProtocolException {
        SigningIdentity original = SigningIdentity.generate(algorithm, RANDOM);
        byte[] encoded = original.encodePrivateKey();
        assertEquals(4 + algorithm.seedLength(), encoded.length);
        assertEquals(SigningIdentity.PRIVATE_KEY_FORMAT, encoded[0]);
        assertEquals(SignatureAlgorithmId.of(algorithm), encoded[1]);
        SigningIdentity loaded = SigningIdentity.parsePrivateKey(encoded);
        assertEquals(algorithm, loaded.algorithm());
        assertArrayEquals(original.publicKey(), loaded.publicKey());
        byte[] signature = loaded.sign(MESSAGE, CONTEXT);
        assertTrue(TrustSignatures.verifies(algorithm, original.publicKey(), CONTEXT, MESSAGE, signature));
        assertFalse(TrustSignatures.verifies(algorithm, original.publicKey(), TrustSignatures.REVOCATION_LIST_CONTEXT, MESSAGE, signature));
    }

    @Test
    void seededIdentitiesSignDeterministicallyAndOthersHedged() throws ProtocolException {
        SigningIdentity seeded = TrustFixtures.key(SignatureAlgorithm.ML_DSA_65, 30);
        assertTrue(seeded.isDeterministic());
        assertArrayEquals(seeded.sign(MESSAGE, CONTEXT), seeded.sign(MESSAGE, CONTEXT));

        SigningIdentity loaded = SigningIdentity.parsePrivateKey(seeded.encodePrivateKey());
        assertFalse(loaded.isDeterministic());
        assertFalse(Arrays.equals(loaded.sign(MESSAGE, CONTEXT), loaded.sign(MESSAGE, CONTEXT)));
        assertFalse(SigningIdentity.generate(SignatureAlgorithm.ML_DSA_65, RANDOM).isDeterministic());
    }

    @Test
    void sameSeedGivesTheSameKey() {
        assertArrayEquals(TrustFixtures.key(SignatureAlgorithm.ML_DSA_44, 31).publicKey(),
            TrustFixtures.key(SignatureAlgorithm.ML_DSA_44, 31).publicKey());
        assertFalse(Arrays.equals(TrustFixtures.key(SignatureAlgorithm.ML_DSA_44, 31).publicKey(),
            TrustFixtures.key(SignatureAlgorithm.ML_DSA_44, 32).publicKey()));
    }

    @Test
    void destroyedIdentityRefusesEveryUseButNamingItsAlgorithm() {
        SigningIdentity key = SigningIdentity.generate(SignatureAlgorithm.ML_DSA_44, RANDOM);
        key.close();
        assertTrue(key.isDestroyed());
        assertThrows(IllegalStateException.class, () -> key.sign(MESSAGE, CONTEXT));
        assertThrows(IllegalStateException.class, key::encodePrivateKey);
        assertThrows(IllegalStateException.class, key::publicKey);
        assertEquals(SignatureAlgorithm.ML_DSA_44, key.algorithm());
        assertTrue(key.toString().contains("destroyed"), key.toString());
    }

    @Test
    void toStringShowsNoSeed() {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) 0x5A);
        SigningIdentity key = SigningIdentity.fromSeed(SignatureAlgorithm.ML_DSA_65, seed);
        String text = key.toString();
        assertTrue(text.contains("ml-dsa-65"), text);
        assertFalse(text.contains("5a5a5a5a"), text);
    }

    @Test
    void refusesFalconAndSeedsOfTheWrongLength() {
        assertThrows(IllegalArgumentException.class, () -> SigningIdentity.fromSeed(SignatureAlgorithm.FALCON_512, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> SigningIdentity.fromSeed(SignatureAlgorithm.ML_DSA_65, new byte[31]));
    }

    @Test
    void rejectsMalformedPrivateKeys() throws ProtocolException {
        byte[] good = TrustFixtures.key(SignatureAlgorithm.ML_DSA_65, 33).encodePrivateKey();
        assertArrayEquals(good, SigningIdentity.parsePrivateKey(good).encodePrivateKey());
        rejects(HexFormat.of().parseHex("02020020"), "format");
        rejects(HexFormat.of().parseHex("01000020"), "algorithm");
        rejects(HexFormat.of().parseHex("01080020"), "algorithm");
        rejects(HexFormat.of().parseHex("01070000"), "falcon-512");
        rejects(HexFormat.of().parseHex("0102001f"), "seed");
        rejects(Arrays.copyOf(good, good.length - 1), "seed");
        rejects(Arrays.copyOf(good, good.length + 1), "trailing");
        rejects(new byte[0], "format");
    }

    private static void rejects(byte[] encoded, String named) {
        ProtocolException e = refused(ErrorCode.MALFORMED_MESSAGE, () -> SigningIdentity.parsePrivateKey(encoded));
        assertTrue(e.getMessage().startsWith("the private key is malformed: "), e.getMessage());
        assertTrue(e.getMessage().contains(named), "'" + e.getMessage() + "' should name " + named);
    }
}
