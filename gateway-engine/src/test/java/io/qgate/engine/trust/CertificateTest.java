package io.qgate.engine.trust;

import static io.qgate.engine.trust.TrustFixtures.CA;
import static io.qgate.engine.trust.TrustFixtures.GATEWAY;
import static io.qgate.engine.trust.TrustFixtures.GATEWAY_KEY;
import static io.qgate.engine.trust.TrustFixtures.NOW;
import static io.qgate.engine.trust.TrustFixtures.leaf;
import static io.qgate.engine.trust.TrustStoreTest.refused;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.crypto.kdf.Sha3;
import io.qgate.crypto.sig.SignatureAlgorithm;
import io.qgate.engine.protocol.ErrorCode;
import io.qgate.engine.protocol.ProtocolException;
import io.qgate.engine.protocol.Suite;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CertificateTest {
    private static final int FORMAT = 0;
    private static final int ROLE = 1;
    private static final int KEY_ALGORITHM = 2;
    private static final int ISSUER_ALGORITHM = 3;
    private static final int ISSUER_KEY_ID = 20;
    private static final int NOT_BEFORE = 52;
    private static final int NOT_AFTER = 60;

    @Test
    void parsesWhatTheAuthorityIssuedWithEveryField() throws ProtocolException {
        Certificate parsed = Certificate.parse(GATEWAY.encoded());
        assertEquals(GATEWAY, parsed);
        assertEquals(CertificateRole.GATEWAY, parsed.role());
        assertEquals(SignatureAlgorithm.ML_DSA_65, parsed.keyAlgorithm());
        assertEquals(SignatureAlgorithm.ML_DSA_65, parsed.issuerAlgorithm());
        assertEquals("gw1.example.net", parsed.subject());
        assertEquals(NOW - TrustFixtures.DAY, parsed.notBefore());
        assertEquals(NOW + 30 * TrustFixtures.DAY, parsed.notAfter());
        assertEquals(Suite.mask(Suite.MLKEM768_MLDSA65_AES256GCM, Suite.XWING_MLDSA65_AES256GCM,
            Suite.MLKEM768_MLDSA65_CHACHA20POLY1305), parsed.allowedSuites(), "the ML-DSA-65 suites");
        assertArrayEquals(GATEWAY_KEY.publicKey(), parsed.publicKey());
        assertArrayEquals(CA.root().keyId(), parsed.issuerKeyId());
        assertEquals(Certificate.SERIAL_LENGTH, parsed.serial().length);
        assertEquals(SignatureAlgorithm.ML_DSA_65.signatureLength(), parsed.signature().length);
    }

    @Test
    void idsAreHashesOfTheEncodingAndOfTheKeyAndTbsIsThePartBeforeTheSignature() {
        byte[] encoded = GATEWAY.encoded();
        assertArrayEquals(Sha3.sha3_256(encoded), GATEWAY.id());
        assertArrayEquals(Sha3.sha3_256(GATEWAY.publicKey()), GATEWAY.keyId());
        byte[] tbs = GATEWAY.tbs();
        assertArrayEquals(Arrays.copyOf(encoded, tbs.length), tbs);
        assertEquals(encoded.length, tbs.length + 2 + GATEWAY.signature().length);
    }

    @Test
    void accessorsReturnCopies() {
        GATEWAY.encoded()[0] = 9;
        GATEWAY.serial()[0] ^= 1;
        GATEWAY.publicKey()[0] ^= 1;
        assertEquals(Certificate.FORMAT, GATEWAY.encoded()[0]);
        assertArrayEquals(Sha3.sha3_256(GATEWAY.encoded()), GATEWAY.id());
        assertArrayEquals(Sha3.sha3_256(GATEWAY.publicKey()), GATEWAY.keyId());
    }

    @Test
    void toStringNamesRoleSubjectSerialAndValidityButNoKeyBytes() {
        String text = GATEWAY.toString();
        assertTrue(text.contains("gateway"), text);
        assertTrue(text.contains("gw1.example.net"), text);
        assertTrue(text.contains(HexFormat.of().formatHex(GATEWAY.serial())), text);
        assertTrue(text.contains("valid 2025-06-14T15:06:40Z to 2025-07-15T15:06:40Z"), text);
        assertFalse(text.contains(HexFormat.of().formatHex(GATEWAY.publicKey(), 0, 4)), text);
        assertFalse(text.contains(HexFormat.of().formatHex(GATEWAY.signature(), 0, 4)), text);
    }

    @Test
    void maxEncodedLengthIsTheLengthWithALongestSubject() throws ProtocolException {
        TrustFixtures.LeafBuilder longest = leaf();
        longest.subject = "s".repeat(Certificate.MAX_SUBJECT_LENGTH);
        Certificate certificate = longest.signedBy(TrustFixtures.ROOT_KEY);
        assertEquals(certificate.encoded().length,
            Certificate.maxEncodedLength(SignatureAlgorithm.ML_DSA_65, SignatureAlgorithm.ML_DSA_65));
        assertEquals(141 + 32 + 7856, Certificate.maxEncodedLength(SignatureAlgorithm.SLH_DSA_SHAKE_128S, SignatureAlgorithm.SLH_DSA_SHAKE_128S));
        assertEquals(141 + 1952 + 752, Certificate.maxEncodedLength(SignatureAlgorithm.ML_DSA_65, SignatureAlgorithm.FALCON_512));
    }

    @Test
    void permitsASuiteOnlyIfAllowedAndSignedWithTheLeafsKeyAlgorithm() throws ProtocolException {
        assertTrue(GATEWAY.permits(Suite.DEFAULT));
        assertFalse(GATEWAY.permits(Suite.MLKEM1024_MLDSA87_AES256GCM));
        Certificate narrow = leaf().suites(Suite.mask(Suite.XWING_MLDSA65_AES256GCM)).signedBy(TrustFixtures.ROOT_KEY);
        assertTrue(narrow.permits(Suite.XWING_MLDSA65_AES256GCM));
        assertFalse(narrow.permits(Suite.DEFAULT));
        for (Suite suite : Suite.values()) {
            assertTrue(CA.root().permits(suite), "a root allowing every suite permits " + suite);
        }
    }

    @Test
    void verifiesSignaturesOfItsOwnKeyUnderTheirContextOnly() {
        byte[] transcript = "transcript hash".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] context = "qgate-v1 responder signature".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] signature = GATEWAY_KEY.sign(transcript, context);
        assertTrue(GATEWAY.verifiesSignature(transcript, context, signature));
        assertFalse(GATEWAY.verifiesSignature(transcript, TrustSignatures.CERTIFICATE_CONTEXT, signature));
        assertFalse(GATEWAY.verifiesSignature(Arrays.copyOf(transcript, 3), context, signature));
        assertFalse(GATEWAY.verifiesSignature(transcript, context, Arrays.copyOf(signature, 100)));
        assertFalse(TrustFixtures.CLIENT.verifiesSignature(transcript, context, signature));
    }

    @Test
    void validityWindowIsHalfOpen() {
        assertTrue(GATEWAY.isValidAt(GATEWAY.notBefore()));
        assertFalse(GATEWAY.isValidAt(GATEWAY.notBefore() - 1));
        assertTrue(GATEWAY.isValidAt(GATEWAY.notAfter() - 1));
        assertFalse(GATEWAY.isValidAt(GATEWAY.notAfter()));
    }

    @Test
    void rolesRoundTripTheirCodes() {
        for (CertificateRole role : CertificateRole.values()) {
            assertSame(role, CertificateRole.fromCode(role.code()));
        }
        assertNull(CertificateRole.fromCode(0));
        assertNull(CertificateRole.fromCode(4));
    }

    @Test
    void rejectsAnotherFormat() {
        rejectsPatched(FORMAT, 2, "format");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 4, 255})
    void rejectsAnUndefinedRole(int role) {
        rejectsPatched(ROLE, role, "role");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 8, 255})
    void rejectsUndefinedAlgorithmIds(int id) {
        rejectsPatched(KEY_ALGORITHM, id, "key algorithm");
        rejectsPatched(ISSUER_ALGORITHM, id, "issuer algorithm");
    }

    @Test
    void rejectsAPublicKeyLengthOtherThanTheAlgorithms() {
        rejectsPatched(KEY_ALGORITHM, 3, "public key");
        TrustFixtures.LeafBuilder shortKey = leaf().keyAlgorithm(SignatureAlgorithm.ML_DSA_65, new byte[100]);
        rejects(() -> Certificate.assemble(shortKey.tbs(), new byte[3309]), "public key");
    }

    @Test
    void rejectsASignatureLengthOtherThanTheIssuerAlgorithms() {
        rejectsPatched(ISSUER_ALGORITHM, 3, "signature");
        rejects(() -> Certificate.assemble(leaf().tbs(), new byte[3308]), "signature");
        rejects(() -> Certificate.assemble(leaf().tbs(), new byte[3310]), "signature");
    }

    @Test
    void acceptsFalconSignaturesUpToTheMaximumLength() throws ProtocolException {
        byte[] tbs = leaf().issuerAlgorithm(SignatureAlgorithm.FALCON_512).tbs();
        assertEquals(752, Certificate.assemble(tbs, new byte[752]).signature().length);
        assertEquals(1, Certificate.assemble(tbs, new byte[1]).signature().length);
        rejects(() -> Certificate.assemble(tbs, new byte[753]), "signature");
        rejects(() -> Certificate.assemble(tbs, new byte[0]), "signature");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "\u00fcmlaut", "semi;colon", "slash/", "x"})
    void rejectsSubjectsOutsideTheCharsetOrLength(String subject) {
        TrustFixtures.LeafBuilder builder = leaf();
        builder.subject = subject.equals("x") ? "x".repeat(Certificate.MAX_SUBJECT_LENGTH + 1) : subject;
        assertFalse(Certificate.isValidSubject(builder.subject));
        byte[] tbs = builder.tbs();
        rejects(() -> Certificate.assemble(tbs, new byte[3309]), "subject");
    }

    @Test
    void rejectsNonAsciiSubjectBytes() {
        byte[] tbs = leaf().tbs();
        tbs[73] = (byte) 0xC3;
        tbs[74] = (byte) 0xBC;
        rejects(() -> Certificate.assemble(tbs, new byte[3309]), "subject");
    }

    @Test
    void acceptsEverySubjectCharacterTheSpecAllows() throws ProtocolException {
        TrustFixtures.LeafBuilder builder = leaf();
        builder.subject = "AZaz09._@:-";
        assertEquals("AZaz09._@:-", Certificate.assemble(builder.tbs(), new byte[3309]).subject());
    }

    @Test
    void rejectsAnEmptyOrInvertedValidityWindow() {
        rejects(() -> Certificate.assemble(leaf().validity(NOW, NOW).tbs(), new byte[3309]), "not_after");
        rejects(() -> Certificate.assemble(leaf().validity(NOW, NOW - 1).tbs(), new byte[3309]), "not_after");
    }

    @Test
    void rejectsTimesOf2To63OrMore() {
        rejectsPatched(NOT_BEFORE, 0x80, "not_before");
        rejectsPatched(NOT_AFTER, 0x80, "not_after");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 1 << 5, 0b11, 1 << 31})
    void rejectsEmptyOrUndefinedSuiteBits(int suites) {
        rejects(() -> Certificate.assemble(leaf().suites(suites).tbs(), new byte[3309]), "allowed suites");
    }

    @Test
    void rejectsARootThatDoesNotNameItselfAsIssuer() throws ProtocolException {
        byte[] root = CA.root().encoded();
        root[ISSUER_KEY_ID] ^= 1;
        rejects(() -> Certificate.parse(root), "root");
        TrustFixtures.LeafBuilder mixed = leaf();
        mixed.role = CertificateRole.ROOT;
        mixed.issuerKeyId = Sha3.sha3_256(mixed.publicKey);
        mixed.issuerAlgorithm = SignatureAlgorithm.ML_DSA_44;
        rejects(() -> Certificate.assemble(mixed.tbs(), new byte[2420]), "root");
        mixed.issuerAlgorithm = SignatureAlgorithm.ML_DSA_65;
        assertEquals(CertificateRole.ROOT, Certificate.assemble(mixed.tbs(), new byte[3309]).role());
    }

    @Test
    void rejectsTrailingBytesAndTruncation() {
        byte[] encoded = GATEWAY.encoded();
        rejects(() -> Certificate.parse(Arrays.copyOf(encoded, encoded.length + 1)), "trailing");
        rejects(() -> Certificate.parse(Arrays.copyOf(encoded, encoded.length - 1)), "ends inside its signature");
        rejects(() -> Certificate.parse(new byte[0]), "ends inside its format");
        rejects(() -> Certificate.parse(Arrays.copyOf(encoded, 80)), "ends inside its subject");
    }

    private static void rejectsPatched(int offset, int value, String named) {
        byte[] encoded = GATEWAY.encoded();
        encoded[offset] = (byte) value;
        rejects(() -> Certificate.parse(encoded), named);
    }

    private static void rejects(org.junit.jupiter.api.function.Executable parse, String named) {
        ProtocolException e = refused(ErrorCode.BAD_CERTIFICATE, parse);
        assertTrue(e.getMessage().startsWith("the certificate is malformed: "), e.getMessage());
        assertTrue(e.getMessage().contains(named), "'" + e.getMessage() + "' should name " + named);
    }
}
