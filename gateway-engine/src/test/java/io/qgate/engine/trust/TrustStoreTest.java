package io.qgate.engine.trust;

import static io.qgate.engine.trust.TrustFixtures.CA;
import static io.qgate.engine.trust.TrustFixtures.CLIENT;
import static io.qgate.engine.trust.TrustFixtures.DAY;
import static io.qgate.engine.trust.TrustFixtures.GATEWAY;
import static io.qgate.engine.trust.TrustFixtures.GATEWAY_KEY;
import static io.qgate.engine.trust.TrustFixtures.NOW;
import static io.qgate.engine.trust.TrustFixtures.OTHER_CA;
import static io.qgate.engine.trust.TrustFixtures.OTHER_ROOT_KEY;
import static io.qgate.engine.trust.TrustFixtures.RANDOM;
import static io.qgate.engine.trust.TrustFixtures.ROOT_KEY;
import static io.qgate.engine.trust.TrustFixtures.leaf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.crypto.sig.SignatureAlgorithm;
import io.qgate.engine.protocol.ErrorCode;
import io.qgate.engine.protocol.ProtocolException;
import io.qgate.engine.protocol.Suite;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class TrustStoreTest {
    private static final Suite DEFAULT = Suite.DEFAULT;
    /** Offset of the first subject byte (section 3.1). */
    private static final int SUBJECT_OFFSET = 73;

    private final TrustStore store = new TrustStore(List.of(CA.root()));

    @Test
    void acceptsAGatewayIssuedByATrustedRootAndReturnsIt() throws ProtocolException {
        Certificate verified = store.verify(GATEWAY.encoded(), CertificateRole.GATEWAY, DEFAULT, NOW);
        assertEquals(GATEWAY, verified);
        assertSame(GATEWAY, store.verify(GATEWAY, CertificateRole.GATEWAY, DEFAULT, NOW));
    }

    @Test
    void acceptsEveryRoleOfTheExpectedSet() throws ProtocolException {
        Set<CertificateRole> eitherEnd = EnumSet.of(CertificateRole.GATEWAY, CertificateRole.CLIENT);
        assertEquals(GATEWAY, store.verify(GATEWAY.encoded(), eitherEnd, DEFAULT, NOW));
        assertEquals(CLIENT, store.verify(CLIENT, eitherEnd, DEFAULT, NOW));
    }

    @Test
    void acceptsFromNotBeforeUntilJustBeforeNotAfter() throws ProtocolException {
        store.verify(GATEWAY, CertificateRole.GATEWAY, DEFAULT, GATEWAY.notBefore());
        store.verify(GATEWAY, CertificateRole.GATEWAY, DEFAULT, GATEWAY.notAfter() - 1);
        refused(ErrorCode.CERTIFICATE_EXPIRED, () -> store.verify(GATEWAY, CertificateRole.GATEWAY, DEFAULT, GATEWAY.notAfter()));
    }

    @Test
    void rejectsBytesThatAreNotACertificate() {
        refused(ErrorCode.BAD_CERTIFICATE, () -> store.verify(new byte[] {1, 2, 3}, CertificateRole.GATEWAY, DEFAULT, NOW));
    }

    @Test
    void rejectsAClientCertificateWhereAGatewayIsExpected() {
        refused(ErrorCode.WRONG_ROLE, () -> store.verify(CLIENT.encoded(), CertificateRole.GATEWAY, DEFAULT, NOW));
        refused(ErrorCode.WRONG_ROLE, () -> store.verify(GATEWAY, CertificateRole.CLIENT, DEFAULT, NOW));
    }

    @Test
    void rejectsARootPresentedAsAPeer() {
        refused(ErrorCode.WRONG_ROLE, () -> store.verify(CA.root(), CertificateRole.GATEWAY, DEFAULT, NOW));
    }

    @Test
    void refusesToExpectRootsOrNoRoleAtAll() {
        assertThrows(IllegalArgumentException.class, () -> store.verify(GATEWAY, CertificateRole.ROOT, DEFAULT, NOW));
        assertThrows(IllegalArgumentException.class,
            () -> store.verify(GATEWAY, EnumSet.noneOf(CertificateRole.class), DEFAULT, NOW));
    }

    @Test
    void rejectsCertificateSignedByAnotherRootWithTheSameSubject() {
        Certificate foreign = OTHER_CA.issue(CertificateRole.GATEWAY, "gw1.example.net", GATEWAY_KEY.publicKey(),
            SignatureAlgorithm.ML_DSA_65, Suite.VALID_MASK, NOW - DAY, NOW + DAY);
        assertEquals(CA.root().subject(), OTHER_CA.root().subject());
        refused(ErrorCode.UNKNOWN_ISSUER, () -> store.verify(foreign.encoded(), CertificateRole.GATEWAY, DEFAULT, NOW));
    }

    @Test
    void rejectsCertificateNamingTheRootsKeyWithAnotherIssuerAlgorithm() throws ProtocolException {
        byte[] tbs = leaf().issuerAlgorithm(SignatureAlgorithm.ML_DSA_87).tbs();
        Certificate mislabelled = Certificate.assemble(tbs, new byte[SignatureAlgorithm.ML_DSA_87.signatureLength()]);
        refused(ErrorCode.UNKNOWN_ISSUER, () -> store.verify(mislabelled, CertificateRole.GATEWAY, DEFAULT, NOW));
    }

    @Test
    void rejectsCertificateWithATamperedTbsByte() {
        byte[] tampered = GATEWAY.encoded();
        tampered[SUBJECT_OFFSET] ^= 0x20; // 'g' becomes 'G': still a valid subject, so only the signature can tell
        refused(ErrorCode.BAD_SIGNATURE, () -> store.verify(tampered, CertificateRole.GATEWAY, DEFAULT, NOW));
    }

    @Test
    void rejectsCertificateWithATamperedSignatureByte() {
        byte[] tampered = GATEWAY.encoded();
        tampered[tampered.length - 100] ^= 1;
        refused(ErrorCode.BAD_SIGNATURE, () -> store.verify(tampered, CertificateRole.GATEWAY, DEFAULT, NOW));
    }

    /**
     * The cache is keyed by certificate id, SHA3-256 of the whole encoding. A tampered certificate
     * differs in at least one byte, so its id differs (a SHA3-256 collision aside) and it misses
     * the cache: its signature is checked and fails, even right after the genuine one was cached.
     */
    @Test
    void cachedVerificationDoesNotLetATamperedCertificatePass() throws ProtocolException {
        store.verify(GATEWAY, CertificateRole.GATEWAY, DEFAULT, NOW);
        store.verify(GATEWAY, CertificateRole.GATEWAY, DEFAULT, NOW);
        int[] serialNotAfterSubjectKeySignature = {4, 60, SUBJECT_OFFSET, 100, GATEWAY.encoded().length - 1};
        for (int offset : serialNotAfterSubjectKeySignature) {
            byte[] tampered = GATEWAY.encoded();
            tampered[offset] ^= offset == SUBJECT_OFFSET ? 0x20 : 1;
            Certificate parsed = Certificate.parse(tampered);
            assertFalse(Arrays.equals(GATEWAY.id(), parsed.id()), "a changed byte changes the id");
            refused(ErrorCode.BAD_SIGNATURE, () -> store.verify(parsed, CertificateRole.GATEWAY, DEFAULT, NOW));
        }
    }

    @Test
    void cachedVerificationStillChecksValidityRoleSuiteAndRevocation() throws ProtocolException {
        store.verify(GATEWAY, CertificateRole.GATEWAY, DEFAULT, NOW);
        refused(ErrorCode.CERTIFICATE_EXPIRED, () -> store.verify(GATEWAY, CertificateRole.GATEWAY, DEFAULT, GATEWAY.notAfter()));
        refused(ErrorCode.WRONG_ROLE, () -> store.verify(GATEWAY, CertificateRole.CLIENT, DEFAULT, NOW));
        store.install(CA.revoke(1, NOW - DAY, NOW + DAY, List.of(GATEWAY.serial())));
        refused(ErrorCode.CERTIFICATE_REVOKED, () -> store.verify(GATEWAY, CertificateRole.GATEWAY, DEFAULT, NOW));
    }

    @Test
    void rejectsExpiredAndNotYetValidLeaves() {
        refused(ErrorCode.CERTIFICATE_EXPIRED, () -> store.verify(GATEWAY, CertificateRole.GATEWAY, DEFAULT, NOW + 31 * DAY));
        refused(ErrorCode.CERTIFICATE_NOT_YET_VALID, () -> store.verify(GATEWAY, CertificateRole.GATEWAY, DEFAULT, NOW - 2 * DAY));
    }

    @Test
    void rejectsLeavesOfAnExpiredOrNotYetValidRoot() throws ProtocolException {
        CertificateAuthority future = CertificateAuthority.createRoot("future-root", OTHER_ROOT_KEY, Suite.VALID_MASK,
            NOW + DAY, NOW + 10 * DAY, RANDOM);
        Certificate early = leaf().issuedUnder(future.root()).validity(NOW - DAY, NOW + 2 * DAY).signedBy(OTHER_ROOT_KEY);
        TrustStore futureStore = new TrustStore(List.of(future.root()));
        ProtocolException notYet = refused(ErrorCode.CERTIFICATE_NOT_YET_VALID,
            () -> futureStore.verify(early, CertificateRole.GATEWAY, DEFAULT, NOW));
        assertTrue(notYet.getMessage().contains("root"), notYet.getMessage());

        CertificateAuthority past = CertificateAuthority.createRoot("past-root", OTHER_ROOT_KEY, Suite.VALID_MASK,
            NOW - 10 * DAY, NOW - DAY, RANDOM);
        Certificate late = leaf().issuedUnder(past.root()).validity(NOW - 2 * DAY, NOW - DAY).signedBy(OTHER_ROOT_KEY);
        TrustStore pastStore = new TrustStore(List.of(past.root()));
        ProtocolException expired = refused(ErrorCode.CERTIFICATE_EXPIRED,
            () -> pastStore.verify(late, CertificateRole.GATEWAY, DEFAULT, NOW));
        assertTrue(expired.getMessage().contains("root"), expired.getMessage());
    }

    @Test
    void rejectsALeafThatOutlivesItsRoot() throws ProtocolException {
        Certificate outliving = leaf().validity(NOW - DAY, CA.root().notAfter() + 1).signedBy(ROOT_KEY);
        refused(ErrorCode.CERTIFICATE_EXPIRED, () -> store.verify(outliving, CertificateRole.GATEWAY, DEFAULT, NOW));
    }

    @Test
    void acceptsALeafIssuedBeforeItsRootWasRenewedWithTheSameKey() throws ProtocolException {
        CertificateAuthority renewed = CertificateAuthority.createRoot("qgate-root", ROOT_KEY, Suite.VALID_MASK,
            NOW - DAY / 2, NOW + 730 * DAY, RANDOM);
        TrustStore renewedStore = new TrustStore(List.of(renewed.root()));
        assertTrue(GATEWAY.notBefore() < renewed.root().notBefore());
        assertEquals(GATEWAY, renewedStore.verify(GATEWAY, CertificateRole.GATEWAY, DEFAULT, NOW));
    }

    @Test
    void rejectsASuiteOutsideTheLeafsPolicy() {
        Certificate onlyDefault = CA.issue(CertificateRole.GATEWAY, "gw2", GATEWAY_KEY.publicKey(), SignatureAlgorithm.ML_DSA_65,
            Suite.mask(Suite.DEFAULT), NOW - DAY, NOW + DAY);
        refused(ErrorCode.SUITE_NOT_PERMITTED,
            () -> store.verify(onlyDefault, CertificateRole.GATEWAY, Suite.MLKEM768_MLDSA65_CHACHA20POLY1305, NOW));
    }

    @Test
    void rejectsASuiteOutsideTheRootsPolicyEvenIfTheLeafClaimsIt() throws ProtocolException {
        CertificateAuthority narrow = CertificateAuthority.createRoot("narrow-root", OTHER_ROOT_KEY, Suite.mask(Suite.DEFAULT),
            NOW - DAY, NOW + 10 * DAY, RANDOM);
        Certificate claimsMore = leaf().issuedUnder(narrow.root()).signedBy(OTHER_ROOT_KEY);
        TrustStore narrowStore = new TrustStore(List.of(narrow.root()));
        narrowStore.verify(claimsMore, CertificateRole.GATEWAY, DEFAULT, NOW);
        ProtocolException e = refused(ErrorCode.SUITE_NOT_PERMITTED,
            () -> narrowStore.verify(claimsMore, CertificateRole.GATEWAY, Suite.XWING_MLDSA65_AES256GCM, NOW));
        assertTrue(e.getMessage().contains("root"), e.getMessage());
    }

    @Test
    void rejectsASuiteWhoseSignatureIsNotTheLeafsKeyAlgorithm() throws ProtocolException {
        byte[] mlDsa87Key = TrustFixtures.key(SignatureAlgorithm.ML_DSA_87, 9).publicKey();
        Certificate mismatched = leaf().keyAlgorithm(SignatureAlgorithm.ML_DSA_87, mlDsa87Key).signedBy(ROOT_KEY);
        store.verify(mismatched, CertificateRole.GATEWAY, Suite.MLKEM1024_MLDSA87_AES256GCM, NOW);
        refused(ErrorCode.SUITE_NOT_PERMITTED, () -> store.verify(mismatched, CertificateRole.GATEWAY, DEFAULT, NOW));
    }

    @Test
    void rejectsARevokedCertificateAndAcceptsOthersOfTheSameRoot() throws ProtocolException {
        store.install(CA.revoke(1, NOW - DAY, NOW + DAY, List.of(CLIENT.serial(), new byte[16])));
        refused(ErrorCode.CERTIFICATE_REVOKED, () -> store.verify(CLIENT, CertificateRole.CLIENT, DEFAULT, NOW));
        assertEquals(GATEWAY, store.verify(GATEWAY, CertificateRole.GATEWAY, DEFAULT, NOW));
    }

    @Test
    void rejectsEveryLeafOnceTheRevocationListExpired() throws ProtocolException {
        store.install(CA.revoke(1, NOW - 2 * DAY, NOW - DAY, List.of()));
        refused(ErrorCode.REVOCATION_LIST_EXPIRED, () -> store.verify(GATEWAY, CertificateRole.GATEWAY, DEFAULT, NOW));
        store.install(CA.revoke(2, NOW - DAY, NOW + DAY, List.of()));
        assertEquals(GATEWAY, store.verify(GATEWAY, CertificateRole.GATEWAY, DEFAULT, NOW));
    }

    @Test
    void refusesARevocationListFromAnotherRoot() {
        RevocationList foreign = OTHER_CA.revoke(1, NOW - DAY, NOW + DAY, List.of(GATEWAY.serial()));
        refused(ErrorCode.UNKNOWN_ISSUER, () -> store.install(foreign));
        assertEquals(null, store.revocationList(CA.root()));
    }

    @Test
    void refusesARevocationListNamingOurRootButSignedByAnother() throws ProtocolException {
        RevocationList forged = listNamingOurRoot(OTHER_ROOT_KEY, TrustSignatures.REVOCATION_LIST_CONTEXT);
        refused(ErrorCode.BAD_SIGNATURE, () -> store.install(forged));
    }

    @Test
    void refusesARevocationListSignedForCertificatesInstead() throws ProtocolException {
        RevocationList wrongContext = listNamingOurRoot(ROOT_KEY, TrustSignatures.CERTIFICATE_CONTEXT);
        refused(ErrorCode.BAD_SIGNATURE, () -> store.install(wrongContext));
    }

    /** A list that names {@link TrustFixtures#CA}'s root as issuer, signed by {@code key} under {@code context}. */
    private static RevocationList listNamingOurRoot(SigningIdentity key, byte[] context) throws ProtocolException {
        byte[] tbs = RevocationList.encodeTbs(SignatureAlgorithm.ML_DSA_65, CA.root().keyId(), 1, NOW - DAY, NOW + DAY,
            GATEWAY.serial());
        return RevocationList.assemble(tbs, key.sign(tbs, context));
    }

    @Test
    void refusesARevocationListWhoseSequenceGoesBackwards() throws ProtocolException {
        RevocationList second = CA.revoke(2, NOW - DAY, NOW + DAY, List.of(GATEWAY.serial()));
        store.install(second);
        RevocationList first = CA.revoke(1, NOW - DAY, NOW + 2 * DAY, List.of());
        refused(ErrorCode.REVOCATION_LIST_EXPIRED, () -> store.install(first));
        RevocationList otherSecond = CA.revoke(2, NOW - DAY, NOW + 2 * DAY, List.of());
        refused(ErrorCode.REVOCATION_LIST_EXPIRED, () -> store.install(otherSecond));
        assertSame(second, store.revocationList(CA.root()));
        refused(ErrorCode.CERTIFICATE_REVOKED, () -> store.verify(GATEWAY, CertificateRole.GATEWAY, DEFAULT, NOW));
    }

    @Test
    void installingTheSameListAgainChangesNothingAndANewerOneReplacesIt() throws ProtocolException {
        RevocationList first = CA.revoke(7, NOW - DAY, NOW + DAY, List.of(GATEWAY.serial()));
        store.install(first);
        store.install(RevocationList.parse(first.encoded()));
        assertSame(first, store.revocationList(CA.root()));
        store.install(CA.revoke(8, NOW - DAY, NOW + DAY, List.of()));
        assertEquals(8, store.revocationList(CA.root()).sequence());
        assertEquals(GATEWAY, store.verify(GATEWAY, CertificateRole.GATEWAY, DEFAULT, NOW));
    }

    @Test
    void refusesAnEmptySetOfRoots() {
        assertThrows(IllegalArgumentException.class, () -> new TrustStore(List.of()));
    }

    @Test
    void refusesToTrustALeafAsARoot() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TrustStore(List.of(GATEWAY)));
        assertTrue(e.getMessage().contains("not a root"), e.getMessage());
    }

    @Test
    void refusesARootWhoseSelfSignatureDoesNotVerify() throws ProtocolException {
        byte[] tampered = CA.root().encoded();
        tampered[tampered.length - 10] ^= 1;
        Certificate broken = Certificate.parse(tampered);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TrustStore(List.of(broken)));
        assertTrue(e.getMessage().contains("self-signed"), e.getMessage());
    }

    @Test
    void refusesTwoRootsWithTheSameKey() {
        CertificateAuthority renewed = CertificateAuthority.createRoot("qgate-root", ROOT_KEY, Suite.VALID_MASK,
            NOW, NOW + DAY, RANDOM);
        assertThrows(IllegalArgumentException.class, () -> new TrustStore(List.of(CA.root(), renewed.root())));
    }

    @Test
    void trustsSeveralRootsAndTellsTheirLeavesApart() throws ProtocolException {
        TrustStore both = new TrustStore(List.of(CA.root(), OTHER_CA.root()));
        Certificate foreign = OTHER_CA.issue(CertificateRole.CLIENT, "bob", GATEWAY_KEY.publicKey(),
            SignatureAlgorithm.ML_DSA_65, Suite.VALID_MASK, NOW - DAY, NOW + DAY);
        assertEquals(List.of(CA.root(), OTHER_CA.root()), both.roots());
        both.install(OTHER_CA.revoke(1, NOW - DAY, NOW + DAY, List.of(foreign.serial())));
        refused(ErrorCode.CERTIFICATE_REVOKED, () -> both.verify(foreign, CertificateRole.CLIENT, DEFAULT, NOW));
        assertEquals(CLIENT, both.verify(CLIENT, CertificateRole.CLIENT, DEFAULT, NOW));
    }

    @Test
    void verifiesConcurrentlyWhileListsAreInstalled() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicInteger accepted = new AtomicInteger();
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        store.verify(GATEWAY, CertificateRole.GATEWAY, DEFAULT, NOW);
                        accepted.incrementAndGet();
                    }
                    return null;
                }));
            }
            work.add(pool.submit(() -> {
                for (int sequence = 1; sequence <= 20; sequence++) {
                    store.install(CA.revoke(sequence, NOW - DAY, NOW + DAY, List.of(CLIENT.serial())));
                }
                return null;
            }));
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(600, accepted.get());
        assertEquals(20, store.revocationList(CA.root()).sequence());
    }

    @Test
    void messagesNameTheCertificateAndNeverItsKey() {
        ProtocolException e = refused(ErrorCode.CERTIFICATE_EXPIRED,
            () -> store.verify(GATEWAY, CertificateRole.GATEWAY, DEFAULT, NOW + 31 * DAY));
        assertTrue(e.getMessage().contains("gw1.example.net"), e.getMessage());
        assertNotEquals(-1, e.getMessage().indexOf("expired"));
        assertFalse(e.getMessage().contains(java.util.HexFormat.of().formatHex(GATEWAY.publicKey(), 0, 8)));
    }

    static ProtocolException refused(ErrorCode expected, Executable action) {
        ProtocolException e = assertThrows(ProtocolException.class, action);
        assertEquals(expected, e.error(), e.getMessage());
        return e;
    }
}
