package io.qgate.engine.trust;

import io.qgate.engine.protocol.ErrorCode;
import io.qgate.engine.protocol.ProtocolException;
import io.qgate.engine.protocol.Suite;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The trusted roots, their revocation lists, and chain verification (section 3.1 of
 * {@code docs/PROTOCOL.md}): a leaf is trusted when it was issued by one of the roots, both are
 * valid now, both allow the suite, and the root's revocation list (if one is installed) is current
 * and does not list it.
 *
 * <p>Thread safety: the roots never change; {@link #verify} may run on any number of threads at
 * once, concurrently with {@link #install}. A verification sees either the list installed before it
 * or a newer one, never a mix. Successful leaf signature checks are cached by certificate id
 * ({@link VerifiedSignatureCache}); validity, role, suite and revocation are checked every time.
 */
public final class TrustStore {
    /** How many verified leaf certificate ids are remembered. */
    public static final int VERIFIED_CACHE_CAPACITY = 4096;

    private final Map<ByteBuffer, RootKey> roots;
    private final List<Certificate> rootList;
    private final Map<ByteBuffer, RevocationList> revocationLists = new ConcurrentHashMap<>();
    private final Object installLock = new Object();
    private final VerifiedSignatureCache verified = new VerifiedSignatureCache(VERIFIED_CACHE_CAPACITY);

    /**
     * Trusts {@code roots}.
     *
     * @throws IllegalArgumentException if there is none, one is not a root, is not validly
     *     self-signed, uses a key that cannot sign (Falcon-512), or two share a key
     */
    public TrustStore(List<Certificate> roots) {
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("a trust store needs at least one root certificate");
        }
        Map<ByteBuffer, RootKey> byKeyId = new HashMap<>();
        for (Certificate root : roots) {
            String name = "the certificate '" + root.subject() + "'";
            if (root.role() != CertificateRole.ROOT) {
                throw new IllegalArgumentException(name + " is a " + root.role() + " certificate, not a root, and cannot be trusted as one");
            }
            if (!TrustSignatures.canSign(root.keyAlgorithm())) {
                throw new IllegalArgumentException(name + " is a " + root.keyAlgorithm().id()
                    + " root, which cannot sign qgate certificates: re-create the root with ml-dsa-65 or slh-dsa-shake-128s");
            }
            RootKey key = RootKey.of(root);
            if (!key.verifies(TrustSignatures.CERTIFICATE_CONTEXT, root.tbs(), root.signatureView())) {
                throw new IllegalArgumentException(name + " is not validly self-signed: the file is damaged or was altered");
            }
            if (byKeyId.putIfAbsent(ByteBuffer.wrap(root.keyIdView()), key) != null) {
                throw new IllegalArgumentException(name + " has the same key as another trusted root: trust only one of them");
            }
        }
        this.roots = Map.copyOf(byKeyId);
        this.rootList = List.copyOf(roots);
    }

    /** The trusted roots, in the order given. */
    public List<Certificate> roots() {
        return rootList;
    }

    /**
     * Installs a revocation list signed by a trusted root, replacing that root's previous list.
     * Installing the same list again does nothing.
     *
     * @throws ProtocolException {@link ErrorCode#UNKNOWN_ISSUER} if no trusted root signed it,
     *     {@link ErrorCode#BAD_SIGNATURE} if its signature does not verify,
     *     {@link ErrorCode#REVOCATION_LIST_EXPIRED} if it is superseded: its sequence is lower than
     *     the installed list's, or equal with other content
     */
    public void install(RevocationList list) throws ProtocolException {
        RootKey rootKey = roots.get(ByteBuffer.wrap(list.issuerKeyIdView()));
        if (rootKey == null || rootKey.certificate().keyAlgorithm() != list.issuerAlgorithm()) {
            throw new ProtocolException(ErrorCode.UNKNOWN_ISSUER, "the revocation list is not issued by a trusted root");
        }
        Certificate root = rootKey.certificate();
        if (!rootKey.verifies(TrustSignatures.REVOCATION_LIST_CONTEXT, list.tbs(), list.signatureView())) {
            throw new ProtocolException(ErrorCode.BAD_SIGNATURE,
                "the revocation list's signature does not verify under the root '" + root.subject() + "'");
        }
        synchronized (installLock) {
            ByteBuffer key = ByteBuffer.wrap(root.keyIdView());
            RevocationList current = revocationLists.get(key);
            if (current != null && list.sequence() <= current.sequence()) {
                if (list.equals(current)) {
                    return;
                }
                throw new ProtocolException(ErrorCode.REVOCATION_LIST_EXPIRED, "the revocation list has sequence "
                    + list.sequence() + " but list " + current.sequence() + " of the root '" + root.subject()
                    + "' is installed: a list never replaces a newer one");
            }
            revocationLists.put(key, list);
        }
    }

    /** The revocation list installed for {@code root}, or null if there is none. */
    public RevocationList revocationList(Certificate root) {
        return revocationLists.get(ByteBuffer.wrap(root.keyIdView()));
    }

    /**
     * {@link #verify(Certificate, Set, Suite, long)} of an encoded leaf with one expected role.
     *
     * @throws ProtocolException {@link ErrorCode#BAD_CERTIFICATE} if it does not parse, or as below
     */
    public Certificate verify(byte[] encodedLeaf, CertificateRole expectedRole, Suite suite, long nowSeconds)
            throws ProtocolException {
        return verify(Certificate.parse(encodedLeaf), EnumSet.of(expectedRole), suite, nowSeconds);
    }

    /**
     * {@link #verify(Certificate, Set, Suite, long)} of an encoded leaf.
     *
     * @throws ProtocolException {@link ErrorCode#BAD_CERTIFICATE} if it does not parse, or as below
     */
    public Certificate verify(byte[] encodedLeaf, Set<CertificateRole> expectedRoles, Suite suite, long nowSeconds)
            throws ProtocolException {
        return verify(Certificate.parse(encodedLeaf), expectedRoles, suite, nowSeconds);
    }

    /** {@link #verify(Certificate, Set, Suite, long)} with one expected role. */
    public Certificate verify(Certificate leaf, CertificateRole expectedRole, Suite suite, long nowSeconds)
            throws ProtocolException {
        return verify(leaf, EnumSet.of(expectedRole), suite, nowSeconds);
    }

    /**
     * Verifies {@code leaf} for use with {@code suite} at {@code nowSeconds} (Unix time), in the
     * order of section 3.1, each failure with its own code.
     *
     * @param expectedRoles GATEWAY and/or CLIENT (a site-to-site initiator presents a gateway certificate)
     * @return {@code leaf}
     * @throws ProtocolException {@link ErrorCode#WRONG_ROLE}, {@link ErrorCode#UNKNOWN_ISSUER},
     *     {@link ErrorCode#BAD_SIGNATURE}, {@link ErrorCode#CERTIFICATE_NOT_YET_VALID},
     *     {@link ErrorCode#CERTIFICATE_EXPIRED}, {@link ErrorCode#SUITE_NOT_PERMITTED},
     *     {@link ErrorCode#REVOCATION_LIST_EXPIRED} or {@link ErrorCode#CERTIFICATE_REVOKED}
     * @throws IllegalArgumentException if {@code expectedRoles} is empty or contains ROOT
     */
    public Certificate verify(Certificate leaf, Set<CertificateRole> expectedRoles, Suite suite, long nowSeconds)
            throws ProtocolException {
        Objects.requireNonNull(suite, "suite");
        if (expectedRoles.isEmpty() || expectedRoles.contains(CertificateRole.ROOT)) {
            throw new IllegalArgumentException("expected roles " + expectedRoles + " must be gateway and/or client: roots are not peers");
        }
        String name = "the " + leaf.role() + " certificate '" + leaf.subject() + "'";
        if (!expectedRoles.contains(leaf.role())) {
            throw new ProtocolException(ErrorCode.WRONG_ROLE, name + " has the wrong role: expected " + roleNames(expectedRoles));
        }

        RootKey rootKey = roots.get(ByteBuffer.wrap(leaf.issuerKeyIdView()));
        if (rootKey == null || rootKey.certificate().keyAlgorithm() != leaf.issuerAlgorithm()) {
            throw new ProtocolException(ErrorCode.UNKNOWN_ISSUER, name + " is not issued by a trusted root");
        }
        Certificate root = rootKey.certificate();

        if (!verified.contains(leaf.idView())) {
            if (!rootKey.verifies(TrustSignatures.CERTIFICATE_CONTEXT, leaf.tbs(), leaf.signatureView())) {
                throw new ProtocolException(ErrorCode.BAD_SIGNATURE,
                    name + " has a signature that does not verify under the root '" + root.subject() + "'");
            }
            verified.add(leaf.idView());
        }

        checkValidity(root, "the root '" + root.subject() + "' of " + name, nowSeconds);
        checkValidity(leaf, name, nowSeconds);
        if (leaf.notAfter() > root.notAfter()) {
            throw new ProtocolException(ErrorCode.CERTIFICATE_EXPIRED, name + " outlives its root (until "
                + Certificate.time(leaf.notAfter()) + ", the root until " + Certificate.time(root.notAfter()) + ")");
        }

        if (!suite.isIn(leaf.allowedSuites())) {
            throw new ProtocolException(ErrorCode.SUITE_NOT_PERMITTED, name + " does not allow suite " + suite);
        }
        if (!suite.isIn(root.allowedSuites())) {
            throw new ProtocolException(ErrorCode.SUITE_NOT_PERMITTED, "the root '" + root.subject() + "' does not allow suite " + suite);
        }
        if (suite.signature() != leaf.keyAlgorithm()) {
            throw new ProtocolException(ErrorCode.SUITE_NOT_PERMITTED, name + " has a " + leaf.keyAlgorithm().id()
                + " key but suite " + suite + " signs with " + suite.signature().id());
        }

        RevocationList list = revocationLists.get(ByteBuffer.wrap(root.keyIdView()));
        if (list != null) {
            if (list.isExpiredAt(nowSeconds)) {
                throw new ProtocolException(ErrorCode.REVOCATION_LIST_EXPIRED, "the revocation list of the root '"
                    + root.subject() + "' expired at " + Certificate.time(list.nextUpdate()) + ": install a newer one");
            }
            if (list.isRevoked(leaf.serialView())) {
                throw new ProtocolException(ErrorCode.CERTIFICATE_REVOKED, name + " is revoked");
            }
        }
        return leaf;
    }

    private static void checkValidity(Certificate certificate, String name, long now) throws ProtocolException {
        if (now < certificate.notBefore()) {
            throw new ProtocolException(ErrorCode.CERTIFICATE_NOT_YET_VALID,
                name + " is not valid before " + Certificate.time(certificate.notBefore()));
        }
        if (now >= certificate.notAfter()) {
            throw new ProtocolException(ErrorCode.CERTIFICATE_EXPIRED,
                name + " expired at " + Certificate.time(certificate.notAfter()));
        }
    }

    private static String roleNames(Set<CertificateRole> roles) {
        StringBuilder names = new StringBuilder();
        for (CertificateRole role : roles) {
            names.append(names.isEmpty() ? "" : " or ").append(role);
        }
        return names.toString();
    }

    @Override
    public String toString() {
        return "TrustStore[" + rootList.size() + " roots, " + revocationLists.size() + " revocation lists]";
    }
}
