package io.qgate.engine.trust;

import static io.qgate.engine.trust.TrustFixtures.CA;
import static io.qgate.engine.trust.TrustFixtures.DAY;
import static io.qgate.engine.trust.TrustFixtures.GATEWAY_KEY;
import static io.qgate.engine.trust.TrustFixtures.NOW;
import static io.qgate.engine.trust.TrustFixtures.OTHER_ROOT_KEY;
import static io.qgate.engine.trust.TrustFixtures.RANDOM;
import static io.qgate.engine.trust.TrustFixtures.ROOT_KEY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.crypto.sig.SignatureAlgorithm;
import io.qgate.engine.protocol.ProtocolException;
import io.qgate.engine.protocol.Suite;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CertificateAuthorityTest {
    private static final byte[] GATEWAY_PUBLIC_KEY = GATEWAY_KEY.publicKey();
    private static final SignatureAlgorithm ML_DSA_65 = SignatureAlgorithm.ML_DSA_65;

    /**
     * Every algorithm but Falcon-512 (which cannot sign with a context string). SLH-DSA-SHAKE-128s
     * is slow on Bouncy Castle (about 1 s per signature here, less once the SHAKE code is compiled,
     * hence last), so this is its only use: one root, one leaf.
     */
    @ParameterizedTest
    @MethodSource("rootAlgorithmsFastestFirst")
    void rootOfEveryAlgorithmIssuesLeavesThatVerifyAndRoundTrip(SignatureAlgorithm algorithm) throws ProtocolException {
        SigningIdentity key = TrustFixtures.key(algorithm, 20);
        CertificateAuthority authority = CertificateAuthority.createRoot("root-" + algorithm.id(), key, Suite.VALID_MASK,
            NOW - DAY, NOW + 100 * DAY, RANDOM);
        Certificate root = authority.root();
        assertEquals(CertificateRole.ROOT, root.role());
        assertEquals(algorithm, root.keyAlgorithm());
        assertArrayEquals(root.keyId(), root.issuerKeyId());
        assertEquals(root, Certificate.parse(root.encoded()));

        Certificate gateway = authority.issue(CertificateRole.GATEWAY, "gw", GATEWAY_PUBLIC_KEY, ML_DSA_65,
            Suite.VALID_MASK, NOW - DAY, NOW + DAY);
        assertEquals(algorithm, gateway.issuerAlgorithm());
        assertEquals(gateway, Certificate.parse(gateway.encoded()));
        assertEquals(gateway.encoded().length, gateway.tbs().length + 2 + algorithm.signatureLength());
        TrustStore store = new TrustStore(List.of(root));
        assertEquals(gateway, store.verify(gateway.encoded(), CertificateRole.GATEWAY, Suite.DEFAULT, NOW));
    }

    static Stream<SignatureAlgorithm> rootAlgorithmsFastestFirst() {
        return Stream.of(SignatureAlgorithm.ML_DSA_44, SignatureAlgorithm.ML_DSA_65, SignatureAlgorithm.ML_DSA_87,
            SignatureAlgorithm.SLH_DSA_SHAKE_128F, SignatureAlgorithm.SLH_DSA_SHAKE_256F, SignatureAlgorithm.SLH_DSA_SHAKE_128S);
    }

    @Test
    void refusesFalconRootKeys() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> SigningIdentity.generate(SignatureAlgorithm.FALCON_512, RANDOM));
        assertTrue(e.getMessage().contains("falcon-512"), e.getMessage());
    }

    @Test
    void deterministicRootKeysGiveByteIdenticalSignatures() throws ProtocolException {
        byte[] tbs = TrustFixtures.leaf().tbs();
        SigningIdentity again = TrustFixtures.key(ML_DSA_65, 1);
        assertArrayEquals(ROOT_KEY.sign(tbs, TrustSignatures.CERTIFICATE_CONTEXT),
            again.sign(tbs, TrustSignatures.CERTIFICATE_CONTEXT));
    }

    @Test
    void clampsNotAfterToTheRootsAndKeepsNotBefore() {
        Certificate leaf = CA.issue(CertificateRole.CLIENT, "c", GATEWAY_PUBLIC_KEY, ML_DSA_65, Suite.VALID_MASK,
            NOW, CA.root().notAfter() + 1000 * DAY);
        assertEquals(CA.root().notAfter(), leaf.notAfter());
        assertEquals(NOW, leaf.notBefore());
    }

    @Test
    void narrowsSuitesToTheRootsAndToThoseOfTheKeyAlgorithm() {
        CertificateAuthority narrow = CertificateAuthority.createRoot("narrow", OTHER_ROOT_KEY,
            Suite.mask(Suite.DEFAULT, Suite.MLKEM1024_MLDSA87_AES256GCM), NOW - DAY, NOW + DAY, RANDOM);
        Certificate leaf = narrow.issue(CertificateRole.GATEWAY, "g", GATEWAY_PUBLIC_KEY, ML_DSA_65, Suite.VALID_MASK,
            NOW - DAY, NOW + DAY);
        assertEquals(Suite.mask(Suite.DEFAULT), leaf.allowedSuites());
        byte[] mlDsa87 = TrustFixtures.key(SignatureAlgorithm.ML_DSA_87, 21).publicKey();
        Certificate cnsa = narrow.issue(CertificateRole.GATEWAY, "g87", mlDsa87, SignatureAlgorithm.ML_DSA_87,
            Suite.VALID_MASK, NOW - DAY, NOW + DAY);
        assertEquals(Suite.mask(Suite.MLKEM1024_MLDSA87_AES256GCM), cnsa.allowedSuites());
    }

    @Test
    void refusesSuitesOutsideTheRootsPolicy() {
        CertificateAuthority narrow = CertificateAuthority.createRoot("narrow", OTHER_ROOT_KEY, Suite.mask(Suite.DEFAULT),
            NOW - DAY, NOW + DAY, RANDOM);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> narrow.issue(CertificateRole.GATEWAY,
            "g", GATEWAY_PUBLIC_KEY, ML_DSA_65, Suite.mask(Suite.XWING_MLDSA65_AES256GCM), NOW - DAY, NOW + DAY));
        assertTrue(e.getMessage().contains("root"), e.getMessage());
    }

    @Test
    void refusesAKeyAlgorithmNoAllowedSuiteSignsWith() {
        byte[] mlDsa44 = TrustFixtures.key(SignatureAlgorithm.ML_DSA_44, 22).publicKey();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CA.issue(CertificateRole.GATEWAY,
            "g", mlDsa44, SignatureAlgorithm.ML_DSA_44, Suite.VALID_MASK, NOW - DAY, NOW + DAY));
        assertTrue(e.getMessage().contains("ml-dsa-44"), e.getMessage());
    }

    @Test
    void refusesAnEmptyWindowAfterClamping() {
        long rootEnd = CA.root().notAfter();
        assertThrows(IllegalArgumentException.class, () -> CA.issue(CertificateRole.GATEWAY, "g", GATEWAY_PUBLIC_KEY,
            ML_DSA_65, Suite.VALID_MASK, rootEnd, rootEnd + DAY));
        assertThrows(IllegalArgumentException.class, () -> CA.issue(CertificateRole.GATEWAY, "g", GATEWAY_PUBLIC_KEY,
            ML_DSA_65, Suite.VALID_MASK, NOW, NOW));
        assertThrows(IllegalArgumentException.class, () -> CA.issue(CertificateRole.GATEWAY, "g", GATEWAY_PUBLIC_KEY,
            ML_DSA_65, Suite.VALID_MASK, -1, NOW));
    }

    @Test
    void refusesToIssueRootsBadSubjectsAndKeysOfTheWrongLength() {
        assertThrows(IllegalArgumentException.class, () -> CA.issue(CertificateRole.ROOT, "r", GATEWAY_PUBLIC_KEY,
            ML_DSA_65, Suite.VALID_MASK, NOW, NOW + DAY));
        assertThrows(IllegalArgumentException.class, () -> CA.issue(CertificateRole.GATEWAY, "bad subject",
            GATEWAY_PUBLIC_KEY, ML_DSA_65, Suite.VALID_MASK, NOW, NOW + DAY));
        assertThrows(IllegalArgumentException.class, () -> CA.issue(CertificateRole.GATEWAY, "g",
            Arrays.copyOf(GATEWAY_PUBLIC_KEY, 100), ML_DSA_65, Suite.VALID_MASK, NOW, NOW + DAY));
    }

    @Test
    void refusesRootsWithBadFields() {
        assertThrows(IllegalArgumentException.class,
            () -> CertificateAuthority.createRoot("r", ROOT_KEY, 0, NOW, NOW + DAY, RANDOM));
        assertThrows(IllegalArgumentException.class,
            () -> CertificateAuthority.createRoot("r", ROOT_KEY, 1, NOW, NOW + DAY, RANDOM));
        assertThrows(IllegalArgumentException.class,
            () -> CertificateAuthority.createRoot("r", ROOT_KEY, Suite.VALID_MASK, NOW, NOW, RANDOM));
        assertThrows(IllegalArgumentException.class,
            () -> CertificateAuthority.createRoot("", ROOT_KEY, Suite.VALID_MASK, NOW, NOW + DAY, RANDOM));
    }

    @Test
    void drawsARandomSerialForEveryCertificate() {
        Certificate a = CA.issue(CertificateRole.CLIENT, "c", GATEWAY_PUBLIC_KEY, ML_DSA_65, Suite.VALID_MASK, NOW, NOW + DAY);
        Certificate b = CA.issue(CertificateRole.CLIENT, "c", GATEWAY_PUBLIC_KEY, ML_DSA_65, Suite.VALID_MASK, NOW, NOW + DAY);
        assertFalse(Arrays.equals(a.serial(), b.serial()));
        assertNotEquals(a, b);
    }

    @Test
    void ofAcceptsTheRootsOwnKeyOnly() throws ProtocolException {
        CertificateAuthority reloaded = CertificateAuthority.of(Certificate.parse(CA.root().encoded()), ROOT_KEY);
        Certificate leaf = reloaded.issue(CertificateRole.GATEWAY, "g", GATEWAY_PUBLIC_KEY, ML_DSA_65, Suite.VALID_MASK,
            NOW - DAY, NOW + DAY);
        new TrustStore(List.of(CA.root())).verify(leaf, CertificateRole.GATEWAY, Suite.DEFAULT, NOW);
        assertThrows(IllegalArgumentException.class, () -> CertificateAuthority.of(CA.root(), OTHER_ROOT_KEY));
        assertThrows(IllegalArgumentException.class, () -> CertificateAuthority.of(leaf, ROOT_KEY));
    }

    @Test
    void revokeSortsAndDeduplicatesSerials() {
        byte[] high = new byte[16];
        high[0] = (byte) 0xF0;
        byte[] low = new byte[16];
        low[15] = 1;
        RevocationList list = CA.revoke(3, NOW, NOW + DAY, List.of(high, low, high.clone()));
        assertEquals(2, list.count());
        assertArrayEquals(low, list.serial(0));
        assertArrayEquals(high, list.serial(1));
        assertEquals(3, list.sequence());
        assertArrayEquals(CA.root().keyId(), list.issuerKeyId());
        assertEquals(ML_DSA_65, list.issuerAlgorithm());
    }

    @Test
    void revokeRefusesBadSerialsTooManySerialsAndBadWindows() {
        assertThrows(IllegalArgumentException.class, () -> CA.revoke(1, NOW, NOW + DAY, List.of(new byte[15])));
        assertThrows(IllegalArgumentException.class, () -> CA.revoke(1, NOW, NOW, List.of()));
        assertThrows(IllegalArgumentException.class, () -> CA.revoke(-1, NOW, NOW + DAY, List.of()));
        List<byte[]> tooMany = new ArrayList<>();
        for (int i = 0; i <= RevocationList.MAX_COUNT; i++) {
            byte[] serial = new byte[16];
            serial[12] = (byte) (i >>> 24);
            serial[13] = (byte) (i >>> 16);
            serial[14] = (byte) (i >>> 8);
            serial[15] = (byte) i;
            tooMany.add(serial);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CA.revoke(1, NOW, NOW + DAY, tooMany));
        assertTrue(e.getMessage().contains("65536"), e.getMessage());
    }

    @Test
    void supersedeKeepsEarlierSerialsAddsNewOnesAndRaisesTheSequence() throws ProtocolException {
        byte[] first = new byte[16];
        first[15] = 7;
        byte[] second = new byte[16];
        second[0] = 1;
        RevocationList initial = CA.supersede(null, List.of(first), NOW, NOW + DAY);
        assertEquals(1, initial.sequence());
        RevocationList next = CA.supersede(initial, List.of(second, first), NOW + 60, NOW + 2 * DAY);
        assertEquals(2, next.sequence());
        assertEquals(2, next.count());
        assertTrue(next.isRevoked(first) && next.isRevoked(second));
        assertEquals(NOW + 2 * DAY, next.nextUpdate());
        TrustStore store = new TrustStore(List.of(CA.root()));
        store.install(initial);
        store.install(next); // throws if the store does not take it as newer
        assertEquals(next, store.revocationList(CA.root()));
    }

    @Test
    void supersedeRefusesAnotherRootsListAndASequenceThatCannotGrow() {
        RevocationList foreign = TrustFixtures.OTHER_CA.revoke(1, NOW, NOW + DAY, List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> CA.supersede(foreign, List.of(), NOW, NOW + DAY));
        assertTrue(e.getMessage().contains("signed by another root"), e.getMessage());
        RevocationList last = CA.revoke(Long.MAX_VALUE, NOW, NOW + DAY, List.of());
        e = assertThrows(IllegalArgumentException.class, () -> CA.supersede(last, List.of(), NOW, NOW + DAY));
        assertTrue(e.getMessage().contains("cannot grow"), e.getMessage());
    }
}
