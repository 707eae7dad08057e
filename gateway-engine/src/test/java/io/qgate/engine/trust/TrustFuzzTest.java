package io.qgate.engine.trust;

import static io.qgate.engine.fuzz.ParserContract.parsedOrRefused;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.qgate.crypto.sig.SignatureAlgorithm;
import io.qgate.engine.fuzz.Seeds;
import io.qgate.engine.protocol.ErrorCode;
import io.qgate.engine.protocol.ProtocolException;
import io.qgate.engine.protocol.SignatureAlgorithmId;
import io.qgate.engine.protocol.Suite;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzz targets for the trust formats of section 3 of {@code docs/PROTOCOL.md}: certificates
 * (refused only with {@code BAD_CERTIFICATE}), revocation lists and private keys (refused only
 * with {@code MALFORMED_MESSAGE}), and the text armour (refused only with
 * {@link IllegalArgumentException}). Whatever parses encodes back to exactly the input. The seeds
 * are real objects of a deterministic root.
 */
class TrustFuzzTest {
    private static final long NOW = 1_795_305_600L;
    private static final long YEAR = 365L * 86_400;
    private static final String[] LABELS = {Armour.CERTIFICATE, Armour.REVOCATION_LIST, Armour.PRIVATE_KEY};

    @MethodSource("certificates")
    @FuzzTest
    void certificate(byte[] encoded) throws ProtocolException {
        Certificate parsed = parsedOrRefused(() -> Certificate.parse(encoded), ErrorCode.BAD_CERTIFICATE);
        if (parsed == null) {
            return;
        }
        assertArrayEquals(encoded, parsed.encoded());
        assertEquals(parsed, Certificate.parse(parsed.encoded()));
        assertArrayEquals(Arrays.copyOf(encoded, parsed.tbs().length), parsed.tbs());
        assertTrue(parsed.notBefore() < parsed.notAfter());
        assertTrue(parsed.allowedSuites() != 0 && (parsed.allowedSuites() & ~Suite.VALID_MASK) == 0);
        assertTrue(Certificate.isValidSubject(parsed.subject()));
        assertEquals(parsed.keyAlgorithm().publicKeyLength(), parsed.publicKey().length);
        assertNotNull(parsed.toString());
    }

    @MethodSource("revocationLists")
    @FuzzTest
    void revocationList(byte[] encoded) throws ProtocolException {
        RevocationList parsed = parsedOrRefused(() -> RevocationList.parse(encoded), ErrorCode.MALFORMED_MESSAGE);
        if (parsed == null) {
            return;
        }
        assertArrayEquals(encoded, parsed.encoded());
        assertEquals(parsed, RevocationList.parse(parsed.encoded()));
        assertTrue(parsed.thisUpdate() < parsed.nextUpdate());
        for (int i = 0; i < Math.min(parsed.count(), 64); i++) {
            assertTrue(parsed.isRevoked(parsed.serial(i)), "listed serial " + i + " is not found");
            if (i > 0) {
                assertTrue(Arrays.compareUnsigned(parsed.serial(i - 1), parsed.serial(i)) < 0, "serials not ascending");
            }
        }
        assertNotNull(parsed.toString());
    }

    @MethodSource("privateKeys")
    @FuzzTest
    void privateKey(byte[] encoded) throws ProtocolException {
        byte[] given = encoded.clone();
        SigningIdentity parsed = parsedOrRefused(() -> SigningIdentity.parsePrivateKey(given), ErrorCode.MALFORMED_MESSAGE);
        assertArrayEquals(encoded, given, "parsing changed the caller's array");
        if (parsed == null) {
            return;
        }
        try (parsed) {
            byte[] reencoded = parsed.encodePrivateKey();
            assertArrayEquals(encoded, reencoded);
            assertSame(SignatureAlgorithmId.fromId(encoded[1] & 0xFF), parsed.algorithm());
            assertFalse(parsed.toString().contains(HexFormat.of().formatHex(encoded, 4, encoded.length)),
                "the seed shows in toString");
            Arrays.fill(reencoded, (byte) 0);
        }
    }

    /** The first byte picks the expected label; the rest is the text, one character per byte. */
    @MethodSource("armouredTexts")
    @FuzzTest
    void armour(byte[] input) {
        if (input.length == 0) {
            return;
        }
        String label = LABELS[(input[0] & 0xFF) % LABELS.length];
        String text = new String(input, 1, input.length - 1, StandardCharsets.ISO_8859_1);
        byte[] decoded;
        try {
            decoded = Armour.decode(text, label);
        } catch (IllegalArgumentException refused) {
            assertFalse(refused.getMessage() == null || refused.getMessage().isBlank(), "a refusal names no cause");
            return;
        }
        assertTrue(decoded.length > 0);
        assertArrayEquals(decoded, Armour.decode(Armour.encode(label, decoded), label));
    }

    @Test
    void everySeedParsesButTheFalconKey() throws ProtocolException {
        for (byte[] seed : Seeds.inputs(certificates())) {
            Certificate.parse(seed);
        }
        for (byte[] seed : Seeds.inputs(revocationLists())) {
            RevocationList.parse(seed);
        }
        List<byte[]> keys = Seeds.inputs(privateKeys());
        for (byte[] seed : keys.subList(0, keys.size() - 1)) {
            SigningIdentity.parsePrivateKey(seed).destroy();
        }
        assertThrows(ProtocolException.class, () -> SigningIdentity.parsePrivateKey(keys.getLast()));
        for (byte[] seed : Seeds.inputs(armouredTexts())) {
            Armour.decode(new String(seed, 1, seed.length - 1, StandardCharsets.ISO_8859_1), LABELS[seed[0]]);
        }
    }

    static Stream<Arguments> certificates() {
        Pki pki = Pki.INSTANCE;
        return Stream.of(
            Seeds.named("an ML-DSA-65 root", pki.root.root().encoded()),
            Seeds.named("an ML-DSA-44 root", pki.smallRoot.root().encoded()),
            Seeds.named("a gateway certificate", pki.gateway.encoded()),
            Seeds.named("an ML-DSA-87 client certificate", pki.client.encoded()));
    }

    static Stream<Arguments> revocationLists() {
        Pki pki = Pki.INSTANCE;
        return Stream.of(
            Seeds.named("an empty revocation list", pki.root.revoke(1, NOW, NOW + 86_400, List.of()).encoded()),
            Seeds.named("a revocation list of three", pki.smallRoot.revoke(7, NOW, NOW + 86_400,
                List.of(pki.gateway.serial(), pki.client.serial(), new byte[Certificate.SERIAL_LENGTH])).encoded()));
    }

    static Stream<Arguments> privateKeys() {
        byte[] falcon = new byte[4 + SignatureAlgorithm.FALCON_512.seedLength()];
        falcon[0] = SigningIdentity.PRIVATE_KEY_FORMAT;
        falcon[1] = (byte) SignatureAlgorithmId.of(SignatureAlgorithm.FALCON_512);
        falcon[2] = (byte) (SignatureAlgorithm.FALCON_512.seedLength() >>> 8);
        falcon[3] = (byte) SignatureAlgorithm.FALCON_512.seedLength();
        return Stream.of(
            Seeds.named("an ML-DSA-44 key", key(SignatureAlgorithm.ML_DSA_44, 1).encodePrivateKey()),
            Seeds.named("an ML-DSA-87 key", key(SignatureAlgorithm.ML_DSA_87, 2).encodePrivateKey()),
            Seeds.named("an SLH-DSA-SHAKE-128f key", key(SignatureAlgorithm.SLH_DSA_SHAKE_128F, 3).encodePrivateKey()),
            Seeds.named("a Falcon-512 key, which cannot sign", falcon));
    }

    static Stream<Arguments> armouredTexts() {
        Pki pki = Pki.INSTANCE;
        String certificate = Armour.encode(Armour.CERTIFICATE, pki.gateway.encoded());
        String list = Armour.encode(Armour.REVOCATION_LIST, pki.root.revoke(2, NOW, NOW + 60, List.of()).encoded());
        return Stream.of(
            Seeds.named("an armoured certificate", armoured(0, certificate)),
            Seeds.named("an armoured revocation list with comments and CRLF",
                armoured(1, "# issued by the test root\r\n\r\n" + list.replace("\n", "\r\n") + "# end\n")),
            Seeds.named("an armoured private key", armoured(2, Armour.encode(Armour.PRIVATE_KEY, new byte[] {1, 2, 0, 0}))));
    }

    private static byte[] armoured(int labelIndex, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        byte[] input = new byte[1 + bytes.length];
        input[0] = (byte) labelIndex;
        System.arraycopy(bytes, 0, input, 1, bytes.length);
        return input;
    }

    private static SigningIdentity key(SignatureAlgorithm algorithm, int n) {
        byte[] seed = new byte[algorithm.seedLength()];
        Arrays.fill(seed, (byte) n);
        return SigningIdentity.fromSeed(algorithm, seed);
    }

    /** Two deterministic roots and two leaves, made once for all seeds. */
    private static final class Pki {
        static final Pki INSTANCE = new Pki();

        final CertificateAuthority root;
        final CertificateAuthority smallRoot;
        final Certificate gateway;
        final Certificate client;

        private Pki() {
            SecureRandom serials = fixedRandom();
            root = CertificateAuthority.createRoot("fuzz-root", key(SignatureAlgorithm.ML_DSA_65, 10), Suite.VALID_MASK,
                NOW - YEAR, NOW + YEAR, serials);
            smallRoot = CertificateAuthority.createRoot("fuzz-root-44", key(SignatureAlgorithm.ML_DSA_44, 11),
                Suite.mask(Suite.DEFAULT), NOW - YEAR, NOW + YEAR, serials);
            gateway = root.issue(CertificateRole.GATEWAY, "gw.fuzz.example", key(SignatureAlgorithm.ML_DSA_65, 12).publicKey(),
                SignatureAlgorithm.ML_DSA_65, Suite.VALID_MASK, NOW - 86_400, NOW + YEAR);
            client = root.issue(CertificateRole.CLIENT, "alice@fuzz.example", key(SignatureAlgorithm.ML_DSA_87, 13).publicKey(),
                SignatureAlgorithm.ML_DSA_87, Suite.VALID_MASK, NOW - 86_400, NOW + YEAR);
        }

        /** A SHA1PRNG seeded before first use is a fixed stream: the serials are the same every run. */
        private static SecureRandom fixedRandom() {
            try {
                SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
                random.setSeed(20_261_122L);
                return random;
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no SHA1PRNG", e);
            }
        }
    }
}
