package io.qgate.engine.trust;

import io.qgate.crypto.kdf.Sha3;
import io.qgate.crypto.sig.SignatureAlgorithm;
import io.qgate.engine.protocol.ProtocolException;
import io.qgate.engine.protocol.Suite;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A root: its self-signed certificate and its signing key, which issue gateway and client
 * certificates and sign revocation lists (section 3 of {@code docs/PROTOCOL.md}). It never issues
 * more than it holds: a leaf's {@code not_after} is clamped to the root's and its suites are
 * narrowed to the root's.
 *
 * <p>Thread-safe as its {@link SigningIdentity} is: many threads may issue at once. The caller owns
 * the key and destroys it when the authority is retired.
 */
public final class CertificateAuthority {
    private final Certificate root;
    private final SigningIdentity key;
    private final SecureRandom random;

    private CertificateAuthority(Certificate root, SigningIdentity key, SecureRandom random) {
        this.root = root;
        this.key = key;
        this.random = random;
    }

    /**
     * Creates a self-signed root with a random serial.
     *
     * @param allowedSuites the suites leaves of this root may ever use (a non-empty {@link Suite} bit set)
     * @throws IllegalArgumentException naming the field that is out of range
     */
    public static CertificateAuthority createRoot(String subject, SigningIdentity key, int allowedSuites,
                                                  long notBefore, long notAfter, SecureRandom random) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(random, "random");
        checkSubject(subject);
        if (allowedSuites == 0 || (allowedSuites & ~Suite.VALID_MASK) != 0) {
            throw new IllegalArgumentException("the root's allowed suites 0x" + Integer.toHexString(allowedSuites)
                + " must be a non-empty set of defined suites (bits within 0x" + Integer.toHexString(Suite.VALID_MASK) + ")");
        }
        checkWindow(notBefore, notAfter, "");
        byte[] publicKey = key.publicKey();
        byte[] tbs = Certificate.encodeTbs(CertificateRole.ROOT, key.algorithm(), key.algorithm(), serial(random),
            Sha3.sha3_256(publicKey), notBefore, notAfter, allowedSuites, subject, publicKey);
        return new CertificateAuthority(sign(key, tbs), key, random);
    }

    /**
     * The authority of an existing root and its key; it draws serials from a new {@link SecureRandom}.
     *
     * @throws IllegalArgumentException if {@code root} is not a root or {@code key} is not its key
     */
    public static CertificateAuthority of(Certificate root, SigningIdentity key) {
        if (root.role() != CertificateRole.ROOT) {
            throw new IllegalArgumentException("the certificate of '" + root.subject() + "' is a " + root.role()
                + " certificate, not a root: only a root can issue certificates");
        }
        if (key.algorithm() != root.keyAlgorithm() || !Arrays.equals(key.publicKey(), root.publicKeyView())) {
            throw new IllegalArgumentException("the private key does not belong to the root '" + root.subject()
                + "': load the key that was created with it");
        }
        return new CertificateAuthority(root, key, new SecureRandom());
    }

    /**
     * Issues a gateway or client certificate with a random serial. Its validity ends at the
     * root's {@code not_after} at the latest, and it allows the requested suites that the root
     * allows and whose signature algorithm is {@code keyAlgorithm} (section 2: a leaf key must be
     * the signature algorithm of every suite it allows).
     *
     * @throws IllegalArgumentException if the role is ROOT, a field is out of range, no suite
     *     remains, or the clamped validity window is empty
     */
    public Certificate issue(CertificateRole role, String subject, byte[] publicKey, SignatureAlgorithm keyAlgorithm,
                             int allowedSuites, long notBefore, long notAfter) {
        if (role == CertificateRole.ROOT || role == null) {
            throw new IllegalArgumentException("a root issues gateway and client certificates only, not " + role);
        }
        checkSubject(subject);
        if (publicKey.length != keyAlgorithm.publicKeyLength()) {
            throw new IllegalArgumentException("the " + keyAlgorithm.id() + " public key is " + publicKey.length
                + " bytes but must be " + keyAlgorithm.publicKeyLength());
        }
        int withinRoot = allowedSuites & root.allowedSuites();
        if (withinRoot == 0) {
            throw new IllegalArgumentException("none of the requested suites 0x" + Integer.toHexString(allowedSuites)
                + " is allowed by the root '" + root.subject() + "' (0x" + Integer.toHexString(root.allowedSuites()) + ")");
        }
        int suites = 0;
        for (Suite suite : Suite.values()) {
            if (suite.isIn(withinRoot) && suite.signature() == keyAlgorithm) {
                suites |= suite.bit();
            }
        }
        if (suites == 0) {
            throw new IllegalArgumentException("no suite allowed for this certificate signs with " + keyAlgorithm.id()
                + ": use the signature algorithm of the suites it should allow (ml-dsa-65 for the default suite)");
        }
        long clampedNotAfter = Math.min(notAfter, root.notAfter());
        checkWindow(notBefore, clampedNotAfter, " (its end is clamped to the root's)");
        byte[] tbs = Certificate.encodeTbs(role, keyAlgorithm, key.algorithm(), serial(random), root.keyIdView(),
            notBefore, clampedNotAfter, suites, subject, publicKey);
        return sign(key, tbs);
    }

    /**
     * Signs a revocation list of {@code serials} (16 bytes each, any order, duplicates allowed:
     * they are sorted and deduplicated).
     *
     * @throws IllegalArgumentException if a serial is not 16 bytes, more than 65,536 remain, a
     *     time or the sequence is negative, or {@code nextUpdate <= thisUpdate}
     */
    public RevocationList revoke(long sequence, long thisUpdate, long nextUpdate, List<byte[]> serials) {
        if (sequence < 0) {
            throw new IllegalArgumentException("the revocation list sequence " + sequence + " is negative");
        }
        checkWindow(thisUpdate, nextUpdate, "");
        byte[][] sorted = serials.toArray(byte[][]::new);
        for (byte[] serial : sorted) {
            if (serial.length != Certificate.SERIAL_LENGTH) {
                throw new IllegalArgumentException("a serial is " + serial.length + " bytes but serials are "
                    + Certificate.SERIAL_LENGTH);
            }
        }
        Arrays.sort(sorted, Arrays::compareUnsigned);
        byte[] flat = new byte[sorted.length * Certificate.SERIAL_LENGTH];
        int length = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || !Arrays.equals(sorted[i], sorted[i - 1])) {
                System.arraycopy(sorted[i], 0, flat, length, Certificate.SERIAL_LENGTH);
                length += Certificate.SERIAL_LENGTH;
            }
        }
        if (length / Certificate.SERIAL_LENGTH > RevocationList.MAX_COUNT) {
            throw new IllegalArgumentException("a revocation list holds at most " + RevocationList.MAX_COUNT
                + " serials, not " + length / Certificate.SERIAL_LENGTH);
        }
        byte[] tbs = RevocationList.encodeTbs(key.algorithm(), root.keyIdView(), sequence, thisUpdate, nextUpdate,
            Arrays.copyOf(flat, length));
        try {
            return RevocationList.assemble(tbs, key.sign(tbs, TrustSignatures.REVOCATION_LIST_CONTEXT));
        } catch (ProtocolException e) {
            throw new IllegalStateException("the authority built a revocation list it cannot parse: " + e.getMessage(), e);
        }
    }

    /**
     * The list that supersedes {@code previous}: its serials plus {@code added}, the next
     * sequence number, and a new window. With no previous list it is the first list, sequence 1.
     * A verifier that holds {@code previous} accepts the result (section 3.2: a higher sequence).
     *
     * @param previous this root's current list, or null if it has none yet
     * @throws IllegalArgumentException if {@code previous} is another root's list, its sequence
     *     cannot grow, or as {@link #revoke}
     */
    public RevocationList supersede(RevocationList previous, List<byte[]> added, long thisUpdate, long nextUpdate) {
        if (previous == null) {
            return revoke(1, thisUpdate, nextUpdate, added);
        }
        if (previous.issuerAlgorithm() != key.algorithm() || !Arrays.equals(previous.issuerKeyIdView(), root.keyIdView())) {
            throw new IllegalArgumentException("the revocation list was signed by another root, not by '" + root.subject()
                + "': supersede it with the root that made it, or start a new list for this root");
        }
        if (previous.sequence() == Long.MAX_VALUE) {
            throw new IllegalArgumentException("the revocation list's sequence is at its maximum and cannot grow");
        }
        List<byte[]> serials = new java.util.ArrayList<>(previous.count() + added.size());
        for (int i = 0; i < previous.count(); i++) {
            serials.add(previous.serial(i));
        }
        serials.addAll(added);
        return revoke(previous.sequence() + 1, thisUpdate, nextUpdate, serials);
    }

    /** The root certificate. */
    public Certificate root() {
        return root;
    }

    @Override
    public String toString() {
        return "CertificateAuthority[" + root + "]";
    }

    private static Certificate sign(SigningIdentity key, byte[] tbs) {
        try {
            return Certificate.assemble(tbs, key.sign(tbs, TrustSignatures.CERTIFICATE_CONTEXT));
        } catch (ProtocolException e) {
            throw new IllegalStateException("the authority built a certificate it cannot parse: " + e.getMessage(), e);
        }
    }

    private static byte[] serial(SecureRandom random) {
        byte[] serial = new byte[Certificate.SERIAL_LENGTH];
        random.nextBytes(serial);
        return serial;
    }

    private static void checkSubject(String subject) {
        if (!Certificate.isValidSubject(subject)) {
            throw new IllegalArgumentException("the subject '" + subject + "' must be 1 to " + Certificate.MAX_SUBJECT_LENGTH
                + " of the characters A-Z a-z 0-9 . _ @ : -");
        }
    }

    private static void checkWindow(long from, long to, String note) {
        if (from < 0 || to <= from) {
            throw new IllegalArgumentException("the validity window from " + Certificate.time(from) + " to "
                + Certificate.time(to) + note + " is empty or negative: the end must come after the start");
        }
    }
}
